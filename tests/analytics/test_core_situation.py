"""§10's prices, shares and switching flows against independent references (issue 15).

- Weighted quantiles: with whole-number weights, numpy's quantile of the sample with each answer repeated
  as many times as its weight (method "averaged_inverted_cdf").
- Shares: the Wilson interval of statsmodels' `proportion_confint` on Kish's effective size.
- Thresholds: groups of 4 and 9 answers show nothing; 10 do. Flows of 4 doctors are left out; 5 are kept.
"""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analytics.core.situation import (
    price_outliers,
    price_quantiles,
    switching_flows,
    weighted_quantiles,
    weighted_shares,
)


def _groups(rng, sizes):
    codes = np.repeat(np.arange(len(sizes)), sizes)
    return rng.permutation(codes)


@pytest.mark.parametrize("seed", range(6))
def test_weighted_quantiles_equal_those_of_the_sample_with_each_answer_repeated(seed):
    rng = np.random.default_rng(seed)
    sizes = [10, 11, 17, 40, 12]
    codes = _groups(rng, sizes)
    prices = rng.choice(
        [19.0, 29.9, 45.0, 49.9, 60.0, 89.0, 120.0, 150.0], size=codes.size
    )  # ties, as prices have
    weights = rng.integers(1, 6, size=codes.size)
    probs = (0.1, 0.25, 0.5, 0.75, 0.9)
    table, n = weighted_quantiles(codes, len(sizes), prices, weights, probs)
    for group in range(len(sizes)):
        mine = codes == group
        expanded = np.repeat(prices[mine], weights[mine])
        expected = np.quantile(expanded, probs, method="averaged_inverted_cdf")
        np.testing.assert_allclose(table[group], expected, rtol=0, atol=1e-9)
        assert n[group] == sizes[group]
    # Only the weights' proportions matter.
    scaled, _n = weighted_quantiles(codes, len(sizes), prices, weights * 0.37, probs)
    np.testing.assert_allclose(scaled, table, atol=1e-9)


def test_the_median_of_an_even_count_is_the_average_of_the_middle_two():
    table, _n = weighted_quantiles(
        np.zeros(10, int), 1, np.arange(1.0, 11.0), np.ones(10), (0.5,), min_answers=1
    )
    assert table[0, 0] == 5.5


def test_unanswered_prices_do_not_count_and_small_groups_show_nothing():
    codes = np.array([0] * 4 + [1] * 9 + [2] * 10 + [2] * 3)
    prices = np.r_[np.full(4, 50.0), np.full(9, 50.0), np.full(10, 50.0), np.full(3, np.nan)]
    result = price_quantiles(codes, 4, prices, np.ones(codes.size))
    assert list(result.n) == [4, 9, 10, 0]
    assert np.isnan(result.median[[0, 1, 3]]).all() and result.median[2] == 50.0
    assert np.isnan(result.q1[[0, 1]]).all() and np.isnan(result.q3[[0, 1]]).all()


@pytest.mark.parametrize("seed", range(4))
def test_shares_and_their_wilson_interval_match_statsmodels(seed):
    rng = np.random.default_rng(seed)
    sizes = [10, 25, 60, 200]
    codes = _groups(rng, sizes)
    answers = (rng.random(codes.size) < rng.uniform(0.05, 0.9)).astype(float)
    answers[rng.random(codes.size) < 0.1] = np.nan  # not answered
    weights = rng.uniform(0.3, 3.0, size=codes.size)
    result = weighted_shares(codes, len(sizes), answers, weights)
    for group in range(len(sizes)):
        mine = (codes == group) & ~np.isnan(answers)
        w, y = weights[mine], answers[mine]
        share = (w * y).sum() / w.sum()
        n_eff = w.sum() ** 2 / (w**2).sum()
        low, high = proportion_confint(share * n_eff, n_eff, alpha=0.05, method="wilson")
        if mine.sum() < 10:
            assert np.isnan(result.share[group])
            continue
        assert result.n[group] == mine.sum()
        np.testing.assert_allclose([result.share[group], result.low[group], result.high[group]],
                                   [share, low, high], rtol=1e-10, atol=1e-12)  # fmt: skip
        np.testing.assert_allclose(result.n_effective[group], n_eff, rtol=1e-12)


def test_with_equal_weights_the_interval_is_the_plain_wilson_interval():
    answers = np.array([1.0] * 7 + [0.0] * 13)
    result = weighted_shares(np.zeros(20, int), 1, answers, np.ones(20))
    low, high = proportion_confint(7, 20, alpha=0.05, method="wilson")
    np.testing.assert_allclose(
        [result.share[0], result.low[0], result.high[0]], [0.35, low, high], rtol=1e-12
    )


@pytest.mark.parametrize("size, shown", [(4, False), (9, False), (10, True)])
def test_a_share_needs_ten_answers(size, shown):
    result = weighted_shares(np.zeros(size, int), 1, np.ones(size), np.ones(size))
    assert np.isnan(result.share[0]) != shown and np.isnan(result.low[0]) != shown and result.n[0] == size


def test_prices_far_above_their_categorys_median_are_flagged_not_dropped():
    categories = np.array([0] * 5 + [1] * 3)
    prices = np.array([40.0, 50, 60, 50, 1200, 10, 12, 9])
    assert price_outliers(categories, prices).tolist() == [False] * 4 + [True] + [False] * 3


def test_switching_flows_of_fewer_than_five_doctors_are_left_out():
    previous = [1] * 5 + [2] * 4 + [None] * 7 + [3] * 6
    current = [9] * 5 + [9] * 4 + [9] * 7 + [8] * 6
    flows = switching_flows(previous, current)
    assert flows.to_dict("records") == [
        {"previous": 3.0, "current": 8, "doctors": 6},
        {"previous": 1.0, "current": 9, "doctors": 5},
    ]
    assert switching_flows([1] * 4, [2] * 4).empty
    assert isinstance(flows, pd.DataFrame)
