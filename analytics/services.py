"""Recompute the scores: load, compute with the pure core, store a snapshot — each phase timed."""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from operations.audit import record
from surveys.models import Campaign

from .core.pipeline import compute_scores
from .fraud_scan import scan_for_fraud
from .loading import (
    current_methodology,
    latest_campaign,
    load_expert_scores,
    load_facet_weights,
    load_responses,
    params_for,
)
from .storing import store_snapshot


@dataclass
class Timings:
    phases: dict = field(default_factory=dict)

    @contextmanager
    def phase(self, name):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = round(time.perf_counter() - start, 4)


class NothingToScore(Exception):
    """There is no campaign (or no methodology) to compute scores for."""


def recompute_scores(*, campaign=None, on_phase=None, by=None):
    """Compute and store the snapshot of `campaign` (default: the latest); return (snapshot, timings).

    `by` is the staff member who asked, or None for a command or the background worker (the audit trail).
    """
    latest = latest_campaign()
    campaign = campaign or latest
    methodology = current_methodology()
    if campaign is None:
        raise NothingToScore("No survey campaign has started yet: there is nothing to score.")
    if methodology is None:
        raise NothingToScore("No methodology is defined.")
    timings = Timings()

    def step(name):
        if on_phase:
            on_phase(name)
        return timings.phase(name)

    with step("flags"):
        scan_for_fraud(methodology=methodology)
    with step("load"):
        responses = load_responses(until=campaign.closes_on)
        weights = load_facet_weights(methodology)
        experts = load_expert_scores(methodology, until=campaign.closes_on)
        params = params_for(methodology, campaign)
    with step("compute"):
        result = compute_scores(responses, weights, experts, params)
    with step("store"):
        snapshot = store_snapshot(
            result=result,
            campaign=campaign,
            methodology=methodology,
            make_current=campaign == latest,
            n_responses=len(responses),
            timings=timings.phases,
            weighting="+".join(params.margins),
        )
    snapshot.timings = timings.phases
    snapshot.save(update_fields=["timings"])
    record(
        instance=snapshot, action="analytics.recompute", user=by, campaign=campaign.slug,
        methodology=methodology.version, responses=len(responses),
    )  # fmt: skip
    return snapshot, timings


def recompute_all_campaigns(*, on_phase=None):
    """Recompute every started campaign, oldest first, so that trends have a snapshot per campaign."""
    results = []
    for campaign in Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("closes_on", "pk"):
        results.append(recompute_scores(campaign=campaign, on_phase=on_phase))
    return results
