"""Change of a product's doctor score since the previous campaign (METHODOLOGY.md §6)."""

from dataclasses import dataclass

from .core.ranking import campaign_change
from .models import ProductScore, Status


@dataclass
class ScoreChange:
    previous_campaign: object
    difference: float
    low: float
    high: float
    significant: bool


def change_since_previous(snapshot, product):
    """Return the change against the latest earlier campaign with a score, or None."""
    if snapshot is None:
        return None
    current = ProductScore.objects.filter(snapshot=snapshot, product=product).first()
    if current is None or current.status == Status.INSUFFICIENT or current.doctor_variance is None:
        return None
    previous = (
        ProductScore.objects.filter(
            product=product,
            snapshot__campaign__closes_on__lt=snapshot.campaign.closes_on,
            doctor_variance__isnull=False,
        )
        .exclude(status=Status.INSUFFICIENT)
        .select_related("snapshot__campaign")
        .order_by("-snapshot__campaign__closes_on")
        .first()
    )
    if previous is None:
        return None
    change = campaign_change(
        previous.doctor_score, previous.doctor_variance, current.doctor_score, current.doctor_variance
    )
    return ScoreChange(
        previous_campaign=previous.snapshot.campaign,
        difference=float(change.difference),
        low=float(change.low),
        high=float(change.high),
        significant=bool(change.significant),
    )
