"""Whether a vendor kept a commitment on a facet (METHODOLOGY §10), by the §6 change test."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from . import constants as c
from .ranking import campaign_change


class Verdict(StrEnum):
    KEPT = "kept"  # the facet's score rose, and its interval excludes 0
    NOT_KEPT = "not_kept"  # no significant change
    WORSENED = "worsened"  # the facet's score fell, and its interval excludes 0: not kept either
    NOT_YET = "not_yet_measurable"  # no campaign has closed after the due date
    NOT_ENOUGH = "not_enough_answers"  # a side's facet has no score, or fewer respondents than shown


@dataclass(frozen=True)
class FacetPoint:
    """A product's facet in one campaign: its score, the interval's variance V (§4) and respondents."""

    score: float | None
    variance: float | None
    n: int


@dataclass(frozen=True)
class Outcome:
    """The verdict, and the change with its interval when it may be shown (None otherwise)."""

    verdict: Verdict
    difference: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def measured(self):
        return self.difference is not None


def _shown(point, min_respondents):
    return (
        point is not None
        and point.n >= min_respondents
        and point.score is not None
        and point.variance is not None
        and math.isfinite(point.score)
        and math.isfinite(point.variance)
        and point.variance >= 0
    )


def commitment_verdict(before, after, *, min_respondents, confidence=c.CONFIDENCE):
    """Return the Outcome of a commitment from its facet before it and after its due date.

    `before` is the facet in the campaign before the commitment, `after` in the first campaign closed
    after its due date, or None when no campaign has closed since (not yet measurable). A side with no
    figure (None, no score, fewer than `min_respondents`) gives "not enough answers" and no number.
    """
    if after is None:
        return Outcome(Verdict.NOT_YET)
    if not (_shown(before, min_respondents) and _shown(after, min_respondents)):
        return Outcome(Verdict.NOT_ENOUGH)
    change = campaign_change(before.score, before.variance, after.score, after.variance, confidence)
    difference = float(change.difference)
    if not bool(change.significant):
        verdict = Verdict.NOT_KEPT
    else:
        verdict = Verdict.KEPT if difference > 0 else Verdict.WORSENED
    return Outcome(verdict, difference, float(change.low), float(change.high))
