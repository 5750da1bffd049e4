"""Shrinkage, rankings, rank intervals, vendors and campaign changes (METHODOLOGY §6)."""

import numpy as np
import pandas as pd
import pytest

from analytics.core import Params, campaign_change, campaign_scores, compute_scores, rank_intervals, shrink

from .core_frames import END, concat, frame


def _levels(mean, n):
    """n answers on two adjacent levels whose mean is `mean` (to the nearest 1/n)."""
    low = int(np.floor(mean))
    high_count = int(round((mean - low) * n))
    return [low + 1] * high_count + [low] * (n - high_count)


def _category(means_and_sizes, category_id=1, first_product=1):
    return [
        frame(first_product + i, _levels(mean, n), category_id=category_id)
        for i, (mean, n) in enumerate(means_and_sizes)
    ]


# Eight ranked products of one category, the best of them a 4.6 from 400 doctors (product 8).
FIELD = [(3.2, 60), (3.5, 120), (3.7, 80), (3.9, 200), (4.0, 50), (4.2, 150), (4.4, 90), (4.6, 400)]


def test_four_doctors_at_4_9_are_not_ranked():
    answers = np.full((4, 8), 5.0)
    answers[3] = [5, 5, 5, 5, 5, 4, 4, 4]  # g = 4.625: the four doctors average 4.9
    small = frame(100, answers, category_id=1)
    p = compute_scores(concat(*_category(FIELD), small), params=Params(margins={})).products
    assert p.loc[100, "status"] == "insufficient"
    assert pd.isna(p.loc[100, "rank"]) and np.isnan(p.loc[100, "shrunk_score"])
    assert p.loc[8, "rank"] == 1


def test_six_doctors_at_4_9_shrink_below_400_doctors_at_4_6():
    # Five doctors answered 5 everywhere, one 5,5,5,5,4,4,4,3 (g = 4.375): mean 4.896.
    answers = np.full((6, 8), 5.0)
    answers[5] = [5, 5, 5, 5, 4, 4, 4, 3]
    small = frame(100, answers, category_id=1)
    p = compute_scores(concat(*_category(FIELD), small), params=Params(margins={})).products
    assert p.loc[100, "doctor_score"] == pytest.approx(4.896, abs=1e-3)
    assert p.loc[100, "status"] == "limited" and pd.isna(p.loc[100, "rank"])
    assert p.loc[100, "shrunk_score"] < p.loc[8, "shrunk_score"]
    assert p.loc[8, "shrunk_score"] == pytest.approx(4.6, abs=0.01)


def test_ranks_follow_the_shrunk_score_not_the_lower_bound():
    # Product 9: 4.72 from 25 doctors (wide interval); product 8: 4.6 from 400 (narrow).
    field = _category(FIELD) + [frame(9, _levels(4.72, 25), category_id=1)]
    p = compute_scores(concat(*field), params=Params(margins={})).products
    assert p.loc[9, "doctor_ci_low"] < p.loc[8, "doctor_ci_low"]
    assert p.loc[9, "shrunk_score"] > p.loc[8, "shrunk_score"]
    assert p.loc[9, "rank"] == 1 and p.loc[8, "rank"] == 2
    ranked = p[p["status"] == "ok"].sort_values("rank")
    assert ranked["shrunk_score"].is_monotonic_decreasing


def test_rank_intervals_are_reproducible_and_ties_for_first_are_shown():
    # Products 8 (4.6, n=400) and 9 (4.58, n=300) are close; the rest is far below.
    data = concat(*_category(FIELD), frame(9, _levels(4.58, 300), category_id=1))
    first = compute_scores(data, params=Params(margins={})).products
    again = compute_scores(data, params=Params(margins={})).products
    columns = ["rank", "rank_low", "rank_high", "p_top3", "tied_first"]
    pd.testing.assert_frame_equal(first[columns], again[columns])
    assert first.loc[8, "tied_first"] and first.loc[9, "tied_first"]
    assert first.loc[[8, 9], "rank_low"].tolist() == [1, 1]
    assert not first.drop(index=[8, 9])["tied_first"].any()
    assert first.loc[1, "rank_low"] == first.loc[1, "rank_high"] == 9
    assert first.loc[[8, 9], "p_top3"].tolist() == [1.0, 1.0]


def test_rank_interval_percentiles_match_numpy_on_the_same_draws():
    rng = np.random.default_rng(3)
    theta, var = rng.normal(4, 0.1, 30), rng.uniform(0.001, 0.01, 30)
    got = rank_intervals(theta, var, np.full(30, 7), np.ones(30, dtype=bool), draws=2000, seed=42)
    draws = theta + np.sqrt(var) * np.random.default_rng([42, 7]).standard_normal((2000, 30))
    ranks = np.argsort(np.argsort(-draws, axis=1), axis=1) + 1
    assert np.array_equal(got.low, np.quantile(ranks, 0.025, axis=0, method="lower"))
    assert np.array_equal(got.high, np.quantile(ranks, 0.975, axis=0, method="higher"))
    assert np.allclose(got.p_top, (ranks <= 3).mean(axis=0))
    assert np.array_equal(got.tied_first, got.low == 1)


def _dersimonian_laird(y, v):
    w = 1 / v
    mean = (w * y).sum() / w.sum()
    q = (w * (y - mean) ** 2).sum()
    return q, len(y) - 1, w.sum() - (w**2).sum() / w.sum()


def test_shrinkage_against_a_hand_computed_method_of_moments():
    rng = np.random.default_rng(8)
    y_a, v_a = rng.normal(3.8, 0.4, 10), rng.uniform(0.005, 0.05, 10)  # 10 products: own tau^2
    y_b, v_b = rng.normal(3.5, 0.4, 3), rng.uniform(0.005, 0.05, 3)  # 3 products: borrowed tau^2
    y, v = np.r_[y_a, y_b], np.r_[v_a, v_b]
    cat = np.r_[np.zeros(10, dtype=int), np.ones(3, dtype=int)]
    got = shrink(y, v, cat, 2, np.ones(13, dtype=bool), np.ones(13, dtype=bool), min_own=8)

    q_a, df_a, s_a = _dersimonian_laird(y_a, v_a)
    q_b, df_b, s_b = _dersimonian_laird(y_b, v_b)
    tau_a = max(0.0, (q_a - df_a) / s_a)
    tau_pooled = max(0.0, (q_a + q_b - df_a - df_b) / (s_a + s_b))
    assert got.tau2 == pytest.approx([tau_a, tau_pooled], rel=1e-10)
    assert got.borrowed.tolist() == [False, True]

    for idx, tau2 in ((slice(0, 10), tau_a), (slice(10, 13), tau_pooled)):
        prec = 1 / (v[idx] + tau2)
        m_hat = (prec * y[idx]).sum() / prec.sum()
        b = v[idx] / (v[idx] + tau2)
        assert got.shrunk[idx] == pytest.approx(m_hat + (1 - b) * (y[idx] - m_hat), rel=1e-10)


def test_shrinkage_with_no_between_product_variance_pulls_everyone_to_the_mean():
    y, v = np.array([4.0, 4.01, 3.99, 4.0]), np.full(4, 0.05)
    got = shrink(y, v, np.zeros(4, dtype=int), 1, np.ones(4, dtype=bool), np.ones(4, dtype=bool), min_own=2)
    assert got.tau2[0] == 0.0
    assert got.shrunk == pytest.approx([4.0] * 4)


# Vendors.


def test_a_doctor_rating_two_products_of_a_vendor_counts_once():
    # Vendor 1 sells products 1 and 2; doctors 1-5 rated both, doctors 6-8 only product 2.
    both_1 = frame(1, [5, 5, 5, 5, 5], doctor_id=[1, 2, 3, 4, 5], vendor_id=1)
    both_2 = frame(2, [3, 3, 3, 1, 1], doctor_id=[1, 2, 3, 4, 5], vendor_id=1)
    only_2 = frame(2, [2, 2, 2], doctor_id=[6, 7, 8], vendor_id=1)
    other = frame(3, [4] * 5, doctor_id=[1, 2, 3, 9, 10], vendor_id=2)
    data = pd.concat([both_1, both_2, only_2, other], ignore_index=True)
    vendors = compute_scores(data, params=Params(margins={})).vendors
    assert vendors.loc[1, "n_respondents"] == 8
    assert vendors.loc[1, "n_products"] == 2
    # Per doctor: (5+3)/2 three times, (5+1)/2 twice, 2 three times; then a plain mean over doctors.
    assert vendors.loc[1, "doctor_score"] == pytest.approx((4 * 3 + 3 * 2 + 2 * 3) / 8)
    assert vendors.loc[1, "n_effective"] == pytest.approx(8.0)
    assert vendors.loc[2, "n_respondents"] == 5


# Change between campaigns.


def test_campaign_change_by_hand():
    # 3.8 -> 4.1 with variances 0.01 each: se = sqrt(0.02) = 0.14142, interval 0.3 +- 1.95996 * 0.14142
    # = [0.0228, 0.5772]: excludes 0. 3.9 -> 4.1: [-0.0772, 0.4772]: includes 0.
    got = campaign_change([3.8, 3.9, 4.1], [0.01, 0.01, 0.01], [4.1, 4.1, 3.8], [0.01, 0.01, 0.01])
    assert got.difference == pytest.approx([0.3, 0.2, -0.3])
    assert got.low == pytest.approx([0.0228, -0.0772, -0.5772], abs=1e-4)
    assert got.high == pytest.approx([0.5772, 0.4772, -0.0228], abs=1e-4)
    assert got.significant.tolist() == [True, False, True]


def test_campaign_scores_are_computed_campaign_by_campaign():
    data = concat(
        frame(1, _levels(3.6, 40), campaign_id=1, campaign_end=END - pd.Timedelta(days=365)),
        frame(1, _levels(4.2, 60), campaign_id=2),
    )
    series = campaign_scores(data, params=Params(margins={})).set_index("campaign_id")
    assert series.loc[1, "doctor_score"] == pytest.approx(3.6)
    assert series.loc[2, "doctor_score"] == pytest.approx(4.2)
    change = campaign_change(
        *series.loc[1, ["doctor_score", "doctor_variance"]],
        *series.loc[2, ["doctor_score", "doctor_variance"]],
    )
    assert bool(change.significant)


# A ranking orders the number it shows (§6): shrink mu first, then blend with the expert score.


def _ranked_by_hand(p, alpha, seed, draws=2000):
    """Recompute theta, R, ranks and rank intervals of the `ok` products of category 1 from §6 alone."""
    ok = p[(p["status"] == "ok") & (p["category_id"] == 1)].sort_index()
    mu, v = ok["doctor_score"].to_numpy(), ok["doctor_variance"].to_numpy()
    q, df, scale = _dersimonian_laird(mu, v)
    tau2 = max(0.0, (q - df) / scale)
    prec = 1 / (v + tau2)
    m_hat = (prec * mu).sum() / prec.sum()
    b = v / (v + tau2)
    theta = m_hat + (1 - b) * (mu - m_hat)
    e = ok["expert_score"].to_numpy()
    has_e = np.isfinite(e)
    r = np.where(has_e, alpha * e + (1 - alpha) * theta, theta)
    z = np.random.default_rng([seed, 1]).standard_normal((draws, len(ok)))
    theta_draws = theta + np.sqrt((1 - b) * v) * z
    r_draws = np.where(has_e, alpha * e + (1 - alpha) * theta_draws, theta_draws)
    rank_draws = np.argsort(np.argsort(-r_draws, axis=1), axis=1) + 1
    return pd.DataFrame(
        {
            "shrunk_score": theta,
            "ranked_score": r,
            "rank": np.argsort(np.argsort(-r)) + 1,
            "rank_low": np.quantile(rank_draws, 0.025, axis=0, method="lower"),
            "rank_high": np.quantile(rank_draws, 0.975, axis=0, method="higher"),
            "p_top3": (rank_draws <= 3).mean(axis=0),
        },
        index=ok.index,
    )


def test_ranks_follow_the_blended_score_readers_see():
    # Product 5 (4.0 from 50 doctors) has a strong expert review (5.0): G = 0.3*5 + 0.7*4.0 = 4.3
    # puts it above product 6 (4.2). Product 2 (3.5) has a poor one (2.0): G = 3.05, below product 1.
    experts = pd.Series({5: 5.0, 2: 2.0})
    params = Params(margins={})
    p = compute_scores(concat(*_category(FIELD)), expert_scores=experts, params=params).products
    by_hand = _ranked_by_hand(p, params.alpha, params.seed)

    got = p.loc[by_hand.index]
    assert got["shrunk_score"].to_numpy() == pytest.approx(by_hand["shrunk_score"].to_numpy(), rel=1e-9)
    assert got["ranked_score"].to_numpy() == pytest.approx(by_hand["ranked_score"].to_numpy(), rel=1e-9)
    assert got["rank"].tolist() == by_hand["rank"].tolist()
    assert got["rank_low"].tolist() == by_hand["rank_low"].tolist()
    assert got["rank_high"].tolist() == by_hand["rank_high"].tolist()
    assert got["p_top3"].to_numpy() == pytest.approx(by_hand["p_top3"].to_numpy())
    assert got["tied_first"].tolist() == (by_hand["rank_low"] == 1).tolist()
    # The order is that of the displayed G here (shrinkage moves no one), not that of mu.
    assert got.sort_values("rank").index.tolist() == [8, 7, 5, 6, 4, 3, 1, 2]
    assert got.sort_values("global_score", ascending=False).index.tolist() == [8, 7, 5, 6, 4, 3, 1, 2]
    assert got.sort_values("doctor_score", ascending=False).index.tolist() != [8, 7, 5, 6, 4, 3, 1, 2]


def test_a_strong_expert_review_does_not_lift_six_doctors_above_four_hundred():
    # Both get the same expert score; the six doctors' 4.9 shrinks below the 400 doctors' 4.6.
    answers = np.full((6, 8), 5.0)
    answers[5] = [5, 5, 5, 5, 4, 4, 4, 3]
    data = concat(*_category(FIELD), frame(100, answers, category_id=1))
    p = compute_scores(data, expert_scores=pd.Series({8: 4.8, 100: 4.8}), params=Params(margins={})).products
    assert p.loc[100, "doctor_score"] > p.loc[8, "doctor_score"]
    assert p.loc[100, "ranked_score"] < p.loc[8, "ranked_score"]
    assert pd.isna(p.loc[100, "rank"]) and p.loc[8, "rank"] == 1
