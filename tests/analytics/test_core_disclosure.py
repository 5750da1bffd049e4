"""Answer distributions shown only where no level or group describes 1 to 4 doctors (METHODOLOGY §9)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from analytics.core import compute_scores
from analytics.core.disclosure import (
    FACET_BANDS,
    RECOMMEND_BANDS,
    disclose_distribution,
    disclose_recommendation,
)

from .core_frames import frame
from .test_core_properties import SETTINGS, samples


def _bands(counts, weights=None):
    got = disclose_distribution(np.atleast_2d(counts), weights)
    return list(zip(got["level_low"], got["level_high"], got["count"], strict=True)), got


def test_every_level_is_shown_when_none_holds_one_to_four_answers():
    rows, got = _bands([0, 0, 0, 6, 10])
    assert rows == [(1, 1, 0), (2, 2, 0), (3, 3, 0), (4, 4, 6), (5, 5, 10)]
    assert got["share"].tolist() == pytest.approx([0, 0, 0, 6 / 16, 10 / 16])


def test_small_levels_merge_into_poor_fair_good():
    rows, got = _bands([3, 2, 5, 6, 10])
    assert rows == [(1, 2, 5), (3, 3, 5), (4, 5, 16)]
    assert got["share"].tolist() == pytest.approx([5 / 26, 5 / 26, 16 / 26])
    rows, _ = _bands([2, 3, 0, 1, 9])  # an empty middle group is shown as 0
    assert rows == [(1, 2, 5), (3, 3, 0), (4, 5, 10)]


def test_no_distribution_when_a_group_still_holds_one_to_four_answers():
    # METHODOLOGY §4's reference counts: "poor" holds 2 doctors even merged.
    assert _bands([1, 1, 2, 6, 10])[0] == []
    assert _bands([0, 0, 3, 0, 10])[0] == []  # the middle level alone is a group of 3
    assert _bands([0, 0, 0, 0, 4])[0] == []
    assert _bands([0, 0, 0, 0, 0])[0] == []


def test_shares_are_weighted_and_cells_are_kept_apart():
    counts = np.array([[0, 0, 0, 5, 5], [4, 1, 5, 0, 0], [1, 0, 0, 0, 0]])
    weights = np.array([[0, 0, 0, 1.0, 3.0], [2.0, 2.0, 4.0, 0, 0], [1.0, 0, 0, 0, 0]])
    got = disclose_distribution(counts, weights)
    assert got["cell"].tolist() == [0] * 5 + [1] * 3
    assert got["share"].tolist() == pytest.approx([0, 0, 0, 0.25, 0.75, 0.5, 0.5, 0.0])


def test_recommendation_merges_to_detractors_passives_promoters():
    counts = np.zeros(11)
    counts[[3, 6, 8, 9, 10]] = [2, 3, 5, 7, 6]
    got = disclose_recommendation(counts)
    assert list(zip(got["level_low"], got["level_high"], got["count"], strict=True)) == [
        (0, 6, 5),
        (7, 8, 5),
        (9, 10, 13),
    ]
    counts[7] = 5  # every answered level now holds 5 or more ...
    counts[[3, 6]] = [0, 5]
    assert disclose_recommendation(counts)["count"].tolist() == [0, 0, 0, 0, 0, 0, 5, 5, 5, 7, 6]
    counts[0] = 1  # ... until one detractor answers 0: 0-6 holds 6, the groups are shown
    assert disclose_recommendation(counts)["count"].tolist() == [6, 10, 13]


def _reference(counts, bands, minimum=5):
    """Straight from §9, one distribution at a time: the levels, else the groups, else nothing."""
    counts = [int(x) for x in counts]
    if sum(counts) == 0:
        return []
    if all(k == 0 or k >= minimum for k in counts):
        return [(level, level, k) for level, k in enumerate(counts, start=bands[0][0])]
    first = bands[0][0]
    grouped = [(low, high, sum(counts[low - first : high + 1 - first])) for low, high in bands]
    if all(k == 0 or k >= minimum for _, _, k in grouped):
        return grouped
    return []


level_counts = st.one_of(st.integers(0, 12), st.integers(0, 3))


@settings(max_examples=300, deadline=None)
@given(hnp.arrays(np.int64, st.tuples(st.integers(1, 20), st.just(5)), elements=level_counts))
def test_facet_distributions_follow_the_rule_and_never_show_one_to_four(counts):
    got = disclose_distribution(counts)
    assert not got["count"].between(1, 4).any()
    for cell, row in enumerate(counts):
        part = got[got["cell"] == cell]
        assert list(zip(part["level_low"], part["level_high"], part["count"], strict=True)) == _reference(
            row, FACET_BANDS
        )
        if len(part):
            assert part["share"].sum() == pytest.approx(1.0)


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(np.int64, st.tuples(st.integers(1, 10), st.just(11)), elements=level_counts))
def test_recommendation_distributions_follow_the_rule(counts):
    got = disclose_recommendation(counts)
    assert not got["count"].between(1, 4).any()
    for cell, row in enumerate(counts):
        part = got[got["cell"] == cell]
        expected = _reference(row, RECOMMEND_BANDS)
        assert list(zip(part["level_low"], part["level_high"], part["count"], strict=True)) == expected


@SETTINGS
@given(samples())
def test_compute_scores_never_yields_a_band_of_one_to_four_answers(data):
    shown = compute_scores(data).distributions
    assert not shown["count"].between(1, 4).any()
    for _, part in shown.groupby(["product_id", "facet"]):
        merged = (part["level_low"] < part["level_high"]).any()
        assert len(part) == (3 if merged else 5)  # all five levels, or all three groups
        assert part["count"].sum() >= 5


def test_the_pipeline_shows_levels_groups_or_nothing_per_facet():
    answers = np.full((12, 8), 4.0)
    answers[:, 0] = [1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 5, 5]  # 1-2: 5, 3: 5, 4-5: 2 -> nothing
    answers[:, 1] = [1] * 5 + [3] * 7  # every answered level holds 5 or more -> the five levels
    answers[:, 4] = [1, 1, 2, 2, 2, 4, 4, 4, 4, 5, 5, 5]  # 1-2: 5, 3: 0, 4-5: 7 -> the three groups
    shown = compute_scores(frame(1, answers)).distributions.set_index("facet")
    assert "ease_of_use" not in shown.index

    def bands(facet):
        part = shown.loc[facet]
        return list(zip(part["level_low"], part["level_high"], part["count"], strict=True))

    assert bands("reliability") == [(1, 1, 5), (2, 2, 0), (3, 3, 7), (4, 4, 0), (5, 5, 0)]
    assert bands("value_for_money") == [(1, 2, 5), (3, 3, 0), (4, 5, 7)]
    assert bands("support") == [(1, 1, 0), (2, 2, 0), (3, 3, 0), (4, 4, 12), (5, 5, 0)]
    vfm = shown.loc["value_for_money"]
    assert vfm["share"].tolist() == pytest.approx([5 / 12, 0.0, 7 / 12])  # equal weights (all GPs)
