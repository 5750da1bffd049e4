"""Weighted estimates, the Dirichlet-Beta interval, Wilson, status and the expert blend (METHODOLOGY §4-§5)."""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analytics.core import FACETS, Params, compute_scores, dirichlet_beta, grouped_moments, wilson_interval
from analytics.core.estimates import status

from .core_frames import END, concat, frame
from .reference_groupby import compute_scores_groupby_apply

PRIOR = np.array([0.35, 0.10, 0.10, 0.10, 0.35])
LEVELS = np.arange(1.0, 6.0)


def _estimate(y, w=None):
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if w is None else np.asarray(w, dtype=float)
    est = dirichlet_beta(grouped_moments(np.zeros(len(y), dtype=np.int64), 1, y, w))
    return {
        k: float(getattr(est, k)[0]) for k in ("mean", "posterior_mean", "low", "high", "variance", "n_eff")
    }


def _from_counts(counts):
    return np.repeat(LEVELS, counts)


# Weighted estimates against integer weights expanded into repeated rows.


def test_weighted_mean_equals_plain_mean_of_expanded_rows():
    rng = np.random.default_rng(5)
    y = rng.integers(1, 6, 40).astype(float)
    w = rng.integers(1, 6, 40)
    expanded = np.repeat(y, w)
    assert _estimate(y, w)["mean"] == pytest.approx(expanded.mean(), abs=1e-12)


def test_kish_effective_size_of_integer_weights():
    w = [1, 3, 2, 2, 5, 1, 4]
    # (sum w)^2 / sum w^2 = 18^2 / 60 = 5.4, computed exactly
    expected = Fraction(sum(w)) ** 2 / sum(Fraction(x) ** 2 for x in w)
    assert expected == Fraction(27, 5)
    assert _estimate([3, 4, 2, 5, 5, 1, 3], w)["n_eff"] == pytest.approx(float(expected), abs=1e-12)


def test_weighted_means_per_group_match_expanded_rows_in_compute_scores():
    # Two campaigns with recency weights 1/2 and 1 (12 months apart), margins off: weights 1 and 1/2.
    old = END - pd.Timedelta(days=365.25)
    data = concat(
        frame(1, [1, 2, 2], campaign_id=1, campaign_end=old),
        frame(1, [5, 4, 4, 3], campaign_id=2, campaign_end=END),
    )
    p = compute_scores(data, params=Params(margins={})).products.loc[1]
    expanded = np.r_[[1, 2, 2], np.repeat([5, 4, 4, 3], 2)]  # every recent answer twice
    assert p["doctor_score"] == pytest.approx(expanded.mean(), abs=1e-9)
    # n_eff = (3 * 1/2 + 4)^2 / (3 * 1/4 + 4) = 5.5^2 / 4.75
    assert p["n_effective"] == pytest.approx(5.5**2 / 4.75, abs=1e-9)


# The interval of §4.


def test_reference_values_of_the_methodology():
    est = _estimate(_from_counts([1, 1, 2, 6, 10]))
    assert est["posterior_mean"] == pytest.approx(4.095, abs=5e-4)
    assert est["low"] == pytest.approx(3.56, abs=5e-3)
    assert est["high"] == pytest.approx(4.53, abs=5e-3)

    all_five = _estimate(_from_counts([0, 0, 0, 0, 3]))
    assert all_five["low"] == pytest.approx(3.01, abs=5e-3)
    assert all_five["high"] == 5.0


def test_interval_against_an_independent_beta_computation():
    y = np.array([2, 3, 3, 4, 5, 5, 1, 4])
    w = np.array([1.0, 2.0, 1.0, 0.5, 0.5, 1.5, 0.8, 1.2])
    # By hand with scipy: moments, Dirichlet posterior, moment-matched Beta on [1, 5].
    n_eff = w.sum() ** 2 / (w**2).sum()
    ybar, ybar2 = (w * y).sum() / w.sum(), (w * y**2).sum() / w.sum()
    a_total = n_eff + 1.0
    m = (n_eff * ybar + (PRIOR * LEVELS).sum()) / a_total
    m2 = (n_eff * ybar2 + (PRIOR * LEVELS**2).sum()) / a_total
    v = (m2 - m**2) / (a_total + 1)
    u, vv = (m - 1) / 4, v / 16
    kappa = u * (1 - u) / vv - 1
    low, high = 1 + 4 * stats.beta(u * kappa, (1 - u) * kappa).ppf([0.025, 0.975])

    est = _estimate(y, w)
    assert est["mean"] == pytest.approx(ybar, abs=1e-12)
    assert est["variance"] == pytest.approx(v, abs=1e-12)
    assert est["low"] == pytest.approx(min(low, ybar), abs=1e-9)
    assert est["high"] == pytest.approx(max(high, ybar), abs=1e-9)


def test_all_lowest_answers_reach_the_lower_bound_and_identical_answers_have_a_finite_width():
    ones = _estimate([1, 1, 1, 1, 1])
    assert ones["low"] == 1.0 and 1.0 < ones["high"] < 5.0
    threes = _estimate([3, 3, 3, 3, 3])
    assert 1.0 < threes["low"] < 3.0 < threes["high"] < 5.0


def test_interval_of_a_continuous_global_score():
    g = np.array([4.25, 3.6, 4.9, 5.0, 2.75, 4.1])
    est = _estimate(g)
    assert est["low"] < g.mean() < est["high"]
    assert np.isfinite([est["low"], est["high"], est["variance"]]).all()


@pytest.mark.parametrize("k, n", [(17, 20), (0, 7), (7, 7), (3, 50), (120, 400), (1, 5)])
def test_wilson_matches_statsmodels(k, n):
    low, high = wilson_interval(np.array([k / n]), np.array([float(n)]))
    ref_low, ref_high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert low[0] == pytest.approx(ref_low, abs=1e-12)
    assert high[0] == pytest.approx(ref_high, abs=1e-12)


def test_recommend_share_interval_and_net_recommendation():
    # 20 GPs only: the absent specialist stratum leaves every weight at 1.
    recommend = [9] * 10 + [10] * 7 + [7] + [2, 6]
    p = compute_scores(frame(1, [4] * 20, recommend=recommend)).products.loc[1]
    assert p["recommend_pct"] == pytest.approx(85.0)
    assert p["recommend_ci_low"] == pytest.approx(63.96, abs=0.01)
    assert p["recommend_ci_high"] == pytest.approx(94.76, abs=0.01)
    assert p["net_recommendation"] == pytest.approx(85.0 - 10.0)
    assert not p["balanced"]


# Status (§5).


@pytest.mark.parametrize(
    "n, n_eff, expected",
    [
        (4, 4.0, "insufficient"),
        (5, 5.0, "limited"),
        (19, 19.0, "limited"),
        (20, 20.0, "ok"),
        (40, 14.9, "limited"),
        (40, 15.0, "ok"),
    ],
)
def test_status_thresholds(n, n_eff, expected):
    assert status(np.array([n]), np.array([n_eff]), 5, 20, 15.0)[0] == expected


@pytest.mark.parametrize("n, expected", [(4, "insufficient"), (5, "limited"), (19, "limited"), (20, "ok")])
def test_status_in_compute_scores_never_shows_a_default(n, expected):
    p = compute_scores(frame(1, [4] * n)).products.loc[1]
    assert p["status"] == expected
    assert p["n_respondents"] == n
    if expected == "insufficient":
        assert np.isnan([p["doctor_score"], p["doctor_ci_low"], p["doctor_ci_high"], p["global_score"]]).all()
    else:
        assert p["doctor_score"] == 4.0


def test_effective_size_threshold_in_compute_scores():
    # 24 respondents, 3 GPs and 21 specialists: weights GP pi_gp/(3/24) = 4.20 (under the 5x cap),
    # specialist pi_sp/(21/24) = 0.54; n_eff = 24 / (pi_gp^2/(3/24) + pi_sp^2/(21/24)) = 9.76 < 15.
    groups = ["gp"] * 3 + ["specialist"] * 21
    p = compute_scores(frame(1, [4] * 24, practice_group=groups)).products.loc[1]
    pi_gp, pi_sp = 60900 / 116100, 55200 / 116100
    assert p["n_effective"] == pytest.approx(24 / (pi_gp**2 / (3 / 24) + pi_sp**2 / (21 / 24)), rel=1e-9)
    assert p["status"] == "limited"
    assert p["design_effect"] == pytest.approx(24 / p["n_effective"])


def test_facets_use_the_doctors_who_answered_them():
    answers = np.full((6, len(FACETS)), 4.0)
    answers[:, 1] = [5, 5, 5, np.nan, np.nan, np.nan]  # reliability: 3 answers
    answers[:, 2] = [1, 2, 3, 4, 5, 5]
    result = compute_scores(frame(1, answers))
    facets = result.facets.set_index("facet")
    assert facets.loc["reliability", "n"] == 3
    assert np.isnan(facets.loc["reliability", "score"])  # fewer than 5 answers: not shown
    assert facets.loc["features", "score"] == pytest.approx(20 / 6)
    shown = result.distributions
    # features: its score is shown, but its answers (1, 1, 1, 1, 2 per level; 2, 1, 3 grouped) are not (§9).
    assert set(shown["facet"]) == set(FACETS) - {"reliability", "features"}
    ease = shown[shown["facet"] == "ease_of_use"].set_index("level_low")
    assert ease["count"].tolist() == [0, 0, 0, 6, 0]
    assert ease["share"].sum() == pytest.approx(1.0)


def test_no_distribution_below_five_respondents():
    result = compute_scores(
        concat(frame(1, [4, 4, 4, 4]), frame(2, [4, 4, 4, 4, 4]), frame(3, [4, 5, 3, 2, 1]))
    )
    assert set(result.distributions["product_id"]) == {2}  # product 3: five levels of one answer each
    assert result.products.loc[1, "status"] == "insufficient"


# Expert blend (§5).


def test_expert_blend_and_expert_only():
    data = concat(frame(1, [4] * 25), frame(2, [3] * 3))
    experts = pd.Series({1: 3.0, 2: 4.5, 3: 2.0})
    p = compute_scores(data, expert_scores=experts).products
    mu, low, high = p.loc[1, ["doctor_score", "doctor_ci_low", "doctor_ci_high"]]
    assert p.loc[1, "global_score"] == pytest.approx(0.3 * 3.0 + 0.7 * mu)
    assert p.loc[1, "global_ci_low"] == pytest.approx(0.3 * 3.0 + 0.7 * low)
    assert p.loc[1, "global_ci_high"] == pytest.approx(0.3 * 3.0 + 0.7 * high)
    assert not p.loc[1, "expert_only"]
    for pid, e in ((2, 4.5), (3, 2.0)):  # too few doctors / no doctor at all
        assert p.loc[pid, "global_score"] == e
        assert p.loc[pid, "expert_only"]
        assert np.isnan(p.loc[pid, "doctor_score"])
    without_expert = compute_scores(data).products
    assert without_expert.loc[1, "global_score"] == without_expert.loc[1, "doctor_score"]


# The naive per-product reference (groupby().apply) agrees with the vectorised core.


def _reference_data(seed):
    rng = np.random.default_rng(seed)
    n = 6000
    product = rng.integers(1, 31, n)
    answers = rng.integers(1, 6, (n, len(FACETS))).astype(float)
    answers[rng.random(answers.shape) < 0.15] = np.nan
    ends = pd.to_datetime(["2023-01-31", "2024-06-30", "2025-01-31", "2025-06-30"], utc=True)
    campaign = rng.integers(0, 4, n)
    data = frame(
        product,
        answers,
        doctor_id=rng.integers(1, 1500, n),
        practice_group=np.where(rng.random(n) < 0.25, "gp", "specialist"),
        campaign_id=campaign + 1,
        campaign_end=ends[campaign],
        category_id=product % 3 + 1,
        vendor_id=product % 7 + 1,
        region=rng.choice(["north", "south", "east", None], n),
    )
    data["submitted_at"] = data["campaign_end"] - pd.to_timedelta(rng.integers(0, 20, n), unit="D")
    return data.drop_duplicates(["doctor_id", "product_id", "campaign_id"])


@pytest.mark.parametrize(
    "margins",
    [
        Params().margins,
        {"practice_group": {"gp": 60900, "specialist": 55200}, "region": {"north": 3, "south": 2, "east": 1}},
    ],
)
def test_groupby_reference_agrees_with_the_vectorised_core(margins):
    data = _reference_data(11)
    weights = pd.DataFrame([[2, 1, 1, 1, 1, 1, 1, 1], [1] * 8], index=[2, "default"], columns=list(FACETS))
    params = Params(margins=margins)
    core = compute_scores(data, weights, params=params)
    peer_products, peer_facets = compute_scores_groupby_apply(data, weights, params)

    columns = [
        "n_respondents",
        "n_effective",
        "doctor_score",
        "doctor_ci_low",
        "doctor_ci_high",
        "doctor_variance",
    ]
    shown = core.products[core.products["status"] != "insufficient"]
    assert len(shown) == 30
    pd.testing.assert_frame_equal(
        shown[columns], peer_products.loc[shown.index, columns], rtol=1e-9, atol=1e-9
    )

    core_facets = core.facets[core.facets["status"] != "insufficient"].set_index(["product_id", "facet"])
    peer = peer_facets.set_index(["product_id", "facet"]).loc[core_facets.index]
    facet_columns = ["score", "ci_low", "ci_high", "n", "n_effective"]
    pd.testing.assert_frame_equal(core_facets[facet_columns], peer[facet_columns], rtol=1e-9, atol=1e-9)
