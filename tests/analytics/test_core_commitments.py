"""The verdict on a vendor's commitment (METHODOLOGY §10), against the normal interval computed by scipy."""

import math

import pytest
from scipy.stats import norm

from analytics.core.commitments import FacetPoint, Verdict, commitment_verdict

MIN = 5


def reference(before, after, confidence=0.95):
    """The §6 change by hand: difference, and its normal interval from the two variances."""
    difference = after.score - before.score
    half = norm.ppf(1 - (1 - confidence) / 2) * math.sqrt(before.variance + after.variance)
    return difference, difference - half, difference + half


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        # +0.40 with se 0.10: interval about +0.20 to +0.60, excludes 0.
        (FacetPoint(3.2, 0.004, 40), FacetPoint(3.6, 0.006, 50), Verdict.KEPT),
        # +0.10 with se 0.141: interval about -0.18 to +0.38, includes 0.
        (FacetPoint(3.5, 0.01, 20), FacetPoint(3.6, 0.01, 25), Verdict.NOT_KEPT),
        # -0.50 with se 0.10: a significant fall is worded apart.
        (FacetPoint(3.9, 0.005, 60), FacetPoint(3.4, 0.005, 60), Verdict.WORSENED),
        # -0.05, not significant: not kept, but not a significant fall either.
        (FacetPoint(3.9, 0.02, 60), FacetPoint(3.85, 0.02, 60), Verdict.NOT_KEPT),
    ],
)
def test_the_verdict_follows_the_change_test(before, after, verdict):
    outcome = commitment_verdict(before, after, min_respondents=MIN)
    difference, low, high = reference(before, after)
    assert outcome.verdict == verdict
    assert outcome.difference == pytest.approx(difference, abs=1e-12)
    assert (outcome.low, outcome.high) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))


def test_the_interval_bounds_match_a_hand_computed_case():
    # 3.60 - 3.20 = 0.40; se = sqrt(0.004 + 0.006) = 0.1; z(0.975) = 1.959964 → 0.204004 to 0.595996.
    outcome = commitment_verdict(FacetPoint(3.2, 0.004, 40), FacetPoint(3.6, 0.006, 50), min_respondents=MIN)
    assert outcome.low == pytest.approx(0.204004, abs=1e-6)
    assert outcome.high == pytest.approx(0.595996, abs=1e-6)


def test_a_change_just_short_of_significance_is_not_kept():
    se = math.sqrt(0.01 + 0.01)
    just_short = 0.999 * norm.ppf(0.975) * se
    outcome = commitment_verdict(
        FacetPoint(3.0, 0.01, 30), FacetPoint(3.0 + just_short, 0.01, 30), min_respondents=MIN
    )
    assert outcome.verdict == Verdict.NOT_KEPT and outcome.low < 0 < outcome.high
    past = commitment_verdict(
        FacetPoint(3.0, 0.01, 30), FacetPoint(3.0 + 1.001 * just_short / 0.999, 0.01, 30), min_respondents=MIN
    )
    assert past.verdict == Verdict.KEPT and past.low > 0


def test_no_campaign_closed_after_the_date_is_not_yet_measurable():
    outcome = commitment_verdict(FacetPoint(3.2, 0.004, 40), None, min_respondents=MIN)
    assert outcome.verdict == Verdict.NOT_YET and not outcome.measured
    assert commitment_verdict(None, None, min_respondents=MIN).verdict == Verdict.NOT_YET


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (FacetPoint(3.2, 0.004, 4), FacetPoint(4.6, 0.004, 50)),  # four respondents before
        (FacetPoint(3.2, 0.004, 40), FacetPoint(4.6, 0.004, 4)),  # four after
        (FacetPoint(None, None, 12), FacetPoint(4.6, 0.004, 50)),  # hidden or no score
        (FacetPoint(3.2, None, 40), FacetPoint(4.6, 0.004, 50)),  # no variance
        (FacetPoint(3.2, float("nan"), 40), FacetPoint(4.6, 0.004, 50)),
        (None, FacetPoint(4.6, 0.004, 50)),  # no campaign before the commitment
    ],
)
def test_a_side_with_too_few_answers_gives_no_figure(before, after):
    outcome = commitment_verdict(before, after, min_respondents=MIN)
    assert outcome.verdict == Verdict.NOT_ENOUGH
    assert (outcome.difference, outcome.low, outcome.high) == (None, None, None)


def test_five_respondents_on_each_side_are_enough():
    outcome = commitment_verdict(FacetPoint(3.0, 0.01, 5), FacetPoint(4.0, 0.01, 5), min_respondents=MIN)
    assert outcome.verdict == Verdict.KEPT


def test_a_wider_confidence_can_turn_kept_into_not_kept():
    before, after = FacetPoint(3.0, 0.01, 30), FacetPoint(3.3, 0.01, 30)  # +0.30, se 0.1414
    assert commitment_verdict(before, after, min_respondents=MIN).verdict == Verdict.KEPT  # z·se = 0.277
    wide = commitment_verdict(before, after, min_respondents=MIN, confidence=0.99)  # z·se = 0.364
    assert wide.verdict == Verdict.NOT_KEPT
    assert wide.high - wide.difference == pytest.approx(norm.ppf(0.995) * math.sqrt(0.02), abs=1e-12)
