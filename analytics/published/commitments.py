"""Vendors' commitments measured on the published facet scores (METHODOLOGY §10).

Which campaigns are compared: only closed campaigns with a stored snapshot count. "Before" is the
latest of them closing on or before the day the commitment was first published; "after" the first
closing after its due date (and after that day). The facet's change between the two is the §6 change
test (`analytics.core.commitments`); no figure is given where a side has fewer respondents than the
methodologies of both snapshots show.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.core.commitments import FacetPoint, Verdict, commitment_verdict
from analytics.models import FacetScore
from surveys.models import Campaign

from .cache import remember
from .reads import campaign_snapshots

NO_FIGURE = FacetPoint(score=None, variance=None, n=0)

VERDICT_LABELS = {
    Verdict.KEPT: gettext_lazy("kept"),
    Verdict.NOT_KEPT: gettext_lazy("not kept"),
    Verdict.WORSENED: gettext_lazy("not kept: the score fell"),
    Verdict.NOT_YET: gettext_lazy("not yet measurable"),
    Verdict.NOT_ENOUGH: gettext_lazy("not enough answers"),
}


@dataclass(frozen=True)
class CommitmentResult:
    """A commitment with the campaigns it is measured between and, once measurable, its verdict."""

    commitment: object
    verdict: Verdict
    before_campaign: object | None
    after_campaign: object | None
    difference: float | None
    low: float | None
    high: float | None

    @property
    def measured(self):
        return self.difference is not None

    @property
    def label(self):
        return VERDICT_LABELS[self.verdict]

    @property
    def sentence(self):
        """Return what the verdict rests on, in one plain sentence in the reader's language."""
        names = {
            "facet": self.commitment.facet.name,
            "before": self.before_campaign,
            "after": self.after_campaign,
        }
        if self.verdict == Verdict.KEPT:
            return _("Doctors rate %(facet)s significantly higher in %(after)s than in %(before)s.") % names
        if self.verdict == Verdict.WORSENED:
            return _("Doctors rate %(facet)s significantly lower in %(after)s than in %(before)s.") % names
        if self.verdict == Verdict.NOT_KEPT:
            return _("No significant change on %(facet)s between %(before)s and %(after)s.") % names
        if self.verdict == Verdict.NOT_YET:
            return _("It will be measured once a campaign closes after the date promised.")
        if self.before_campaign is None or self.after_campaign is None:
            return _("No campaign before the commitment to compare with.")
        return (
            _("Too few doctors rated %(facet)s in %(before)s or in %(after)s to measure the change.") % names
        )


def _measured_snapshots(until):
    """Return the snapshots of closed campaigns (closing on or before `until`), oldest campaign first."""
    snapshots = [
        s
        for s in campaign_snapshots()
        if s.campaign.status == Campaign.Status.CLOSED and (until is None or s.campaign.closes_on <= until)
    ]
    return sorted(snapshots, key=lambda s: (s.campaign.closes_on, s.campaign.pk))


def _campaigns_of(commitment, snapshots):
    made = commitment.committed_on or timezone.localdate()
    before = [s for s in snapshots if s.campaign.closes_on <= made]
    after = [s for s in snapshots if s.campaign.closes_on > max(commitment.due_on, made)]
    return (before[-1] if before else None), (after[0] if after else None)


def commitment_results(commitments, *, until=None, current=None):
    """Return a CommitmentResult per commitment, in their order (two queries whatever their number).

    `commitments` need their `reply` and `facet` at hand (select_related, or read through
    `reply.commitments`); `until` leaves out campaigns closing after that day (a report of an
    earlier campaign measures what could be measured then). Given `current`, the snapshot readers
    see, the closed campaigns are read once per process for as long as it is current (closing a
    campaign recomputes the scores, which changes it): one query fewer on a product page.
    """
    commitments = list(commitments)
    if not commitments:
        return []
    snapshots = remember(current, f"measured-snapshots:{until}", lambda: _measured_snapshots(until))
    pairs = [_campaigns_of(c, snapshots) for c in commitments]
    used = {s.pk for pair in pairs for s in pair if s is not None}
    rows = (
        FacetScore.objects.filter(
            snapshot_id__in=used,
            product_id__in={c.reply.product_id for c in commitments},
            facet__in={c.facet.slug for c in commitments},
        ).values_list("snapshot_id", "product_id", "facet", "score", "variance", "n")
        if used
        else []
    )
    points = {(s, p, f): FacetPoint(score=score, variance=v, n=n) for s, p, f, score, v, n in rows}
    results = []
    for commitment, (before, after) in zip(commitments, pairs, strict=True):
        key = (commitment.reply.product_id, commitment.facet.slug)
        sides = [s for s in (before, after) if s is not None]
        outcome = commitment_verdict(
            # A campaign where the product has no row on the facet: a side with no figure.
            points.get((before.pk, *key), NO_FIGURE) if before else None,
            points.get((after.pk, *key), NO_FIGURE) if after else None,
            min_respondents=max((s.min_respondents for s in sides), default=0),
        )
        results.append(
            CommitmentResult(
                commitment=commitment,
                verdict=outcome.verdict,
                before_campaign=before.campaign if before else None,
                after_campaign=after.campaign if after else None,
                difference=outcome.difference,
                low=outcome.low,
                high=outcome.high,
            )
        )
    return results
