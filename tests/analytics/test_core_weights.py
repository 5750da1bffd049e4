"""Population weights, raking, trimming, recency and which answers count (METHODOLOGY §1-§3)."""

import math

import numpy as np
import pandas as pd
import pytest

from analytics.core import FACETS, Params, compute_scores
from analytics.core.rows import Stratum
from analytics.core.weights import rake, trim

from .core_frames import END, concat, frame

PI_GP = 60900 / 116100
PI_SP = 55200 / 116100


def _rows(*codes_per_dim, shares):
    n = len(codes_per_dim[0])
    strata = [
        Stratum(f"d{i}", np.asarray(codes), np.asarray(s))
        for i, (codes, s) in enumerate(zip(codes_per_dim, shares, strict=True))
    ]
    return np.zeros(n, dtype=np.int64), strata, np.ones(n)


def test_post_stratification_weight():
    # 8 specialists and 2 GPs: weight = pi_s / (n_s / n).
    codes = [0, 0] + [1] * 8
    group, strata, count = _rows(codes, shares=[[PI_GP, PI_SP]])
    raking = rake(group, 1, strata, count)
    assert raking.weight[:2] == pytest.approx([PI_GP / 0.2] * 2)
    assert raking.weight[2:] == pytest.approx([PI_SP / 0.8] * 8)
    assert raking.balanced[0]


def test_raking_two_by_two_by_hand():
    # Sample: GP-north 3, GP-south 1, specialist-north 1, specialist-south 1 (n = 6);
    # population margins 50/50 on both dimensions, i.e. 3 and 3 rows of weight.
    practice = [0, 0, 0, 0, 1, 1]
    region = [0, 0, 0, 1, 0, 1]
    group, strata, count = _rows(practice, region, shares=[[0.5, 0.5], [0.5, 0.5]])

    # One iteration by hand.
    # practice: GP total 4 -> target 3, factor 3/4; specialist total 2 -> factor 3/2
    #   weights GP-n 0.75, GP-s 0.75, SP-n 1.5, SP-s 1.5
    # region: north total 3*0.75 + 1.5 = 3.75 -> factor 3/3.75 = 0.8; south 0.75 + 1.5 = 2.25 -> 4/3
    #   weights GP-n 0.6, GP-s 1.0, SP-n 1.2, SP-s 2.0
    w1 = rake(group, 1, strata, count, max_iter=1, margin_tol=1.0).weight
    assert w1 == pytest.approx([0.6, 0.6, 0.6, 1.0, 1.2, 2.0])

    # Converged: the fitted 2x2 table keeps the sample's odds ratio 3*1/(1*1) = 3 and has margins
    # (3, 3) both ways, so it is [[t, 3-t], [3-t, t]] with t^2/(3-t)^2 = 3, t = 3*sqrt(3)/(1+sqrt(3))
    # = (9 - 3*sqrt(3))/2 = 1.9019; the weights are fitted cell / sample cell.
    t = (9 - 3 * math.sqrt(3)) / 2
    raking = rake(group, 1, strata, count)
    assert raking.weight == pytest.approx([t / 3] * 3 + [3 - t, 3 - t, t], abs=1e-5)
    assert raking.balanced[0] and raking.n_dims[0] == 2


def test_absent_stratum_spreads_its_share_and_marks_the_product():
    result = compute_scores(concat(frame(1, [3, 4, 5, 4, 4], practice_group="specialist"), frame(2, [4] * 5)))
    p = result.products
    assert not p.loc[1, "balanced"] and not p.loc[2, "balanced"]
    assert p.loc[1, "doctor_score"] == pytest.approx(4.0)  # weights all equal
    assert p.loc[1, "n_effective"] == pytest.approx(5.0)


def test_trimming_caps_at_five_times_the_mean_by_hand():
    # 2 GPs and 28 specialists: raw GP weight pi_gp / (2/30) = 7.87 > 5. Trimmed fixed point: both GPs
    # at 5 (mean 1), the 28 specialists share the remaining 30 - 10 = 20, i.e. 20/28 each;
    # n_eff = 30^2 / (2*25 + 28*(20/28)^2) = 900 / 64.2857 = 14.0.
    codes = [0, 0] + [1] * 28
    group, strata, count = _rows(codes, shares=[[PI_GP, PI_SP]])
    raw = rake(group, 1, strata, count).weight
    assert raw[0] == pytest.approx(PI_GP * 15)
    w = trim(group, 1, raw, count, factor=5.0)
    assert w[:2] == pytest.approx([5.0, 5.0], rel=1e-8)
    assert w[2:] == pytest.approx([20 / 28] * 28, rel=1e-8)
    p = compute_scores(frame(1, [4] * 30, practice_group=["gp"] * 2 + ["specialist"] * 28)).products.loc[1]
    assert p["n_effective"] == pytest.approx(14.0, rel=1e-7)


def test_trimming_leaves_moderate_weights_alone():
    w = np.array([1.0, 2.0, 4.0, 0.5, 0.5])
    group = np.zeros(5, dtype=np.int64)
    assert trim(group, 1, w, np.ones(5), factor=5.0) == pytest.approx(w * 5 / w.sum())


def test_recency_halves_the_weight_every_twelve_months():
    # Margins off: two doctors answered 1 twelve months before the reference date, three answered 5
    # at it: (2 * 0.5 * 1 + 3 * 5) / (2 * 0.5 + 3) = 4.
    old = END - pd.Timedelta(days=365.25)
    data = concat(frame(1, [1, 1], campaign_id=1, campaign_end=old), frame(1, [5, 5, 5], campaign_id=2))
    p = compute_scores(data, params=Params(margins={})).products.loc[1]
    assert p["doctor_score"] == pytest.approx(4.0)


def test_campaigns_older_than_24_months_are_left_out():
    too_old = END - pd.DateOffset(months=24) - pd.Timedelta(days=1)
    just_in = END - pd.DateOffset(months=24)
    data = concat(
        frame(1, [1] * 5, campaign_id=1, campaign_end=too_old),
        frame(1, [2] * 5, campaign_id=2, campaign_end=just_in),
        frame(1, [5] * 5, campaign_id=3),
    )
    p = compute_scores(data, params=Params(margins={})).products.loc[1]
    assert p["n_respondents"] == 10
    # The campaign exactly 24 calendar months old still counts, with the recency weight of its gap.
    gap_days = (END - just_in) / pd.Timedelta(days=1)
    w_old = 0.5 ** (gap_days / (365.25 / 12) / 12)
    assert p["doctor_score"] == pytest.approx((5 * w_old * 2 + 5 * 5) / (5 * w_old + 5))


def test_a_later_reference_date_ignores_later_campaigns():
    data = concat(
        frame(1, [2] * 5, campaign_id=1, campaign_end=END - pd.Timedelta(days=200)),
        frame(1, [5] * 5, campaign_id=2),
    )
    params = Params(margins={}, reference_date=END - pd.Timedelta(days=100))
    assert compute_scores(data, params=params).products.loc[1, "doctor_score"] == 2.0


def test_one_response_per_doctor_and_product_the_most_recent():
    earlier = frame(
        1,
        [1, 1, 1, 1, 1],
        doctor_id=[1, 2, 3, 4, 5],
        campaign_id=1,
        campaign_end=END - pd.Timedelta(days=180),
    )
    later = frame(1, [5, 5], doctor_id=[1, 2], campaign_id=2)
    other_product = frame(2, [3] * 5, doctor_id=[1, 2, 3, 4, 5], campaign_id=2)
    data = pd.concat([later, earlier, other_product], ignore_index=True)
    p = compute_scores(data, params=Params(margins={})).products
    assert p.loc[1, "n_respondents"] == 5
    recency = 0.5 ** (180 / (365.25 / 12) / 12)
    assert p.loc[1, "doctor_score"] == pytest.approx((2 * 5 + 3 * recency * 1) / (2 + 3 * recency))
    assert p.loc[2, "n_respondents"] == 5


def test_responses_without_any_facet_do_not_count():
    answers = np.full((6, 8), 4.0)
    answers[0] = np.nan
    p = compute_scores(frame(1, answers)).products.loc[1]
    assert p["n_respondents"] == 5


def test_category_facet_weights_and_default_row():
    answers = np.array([[5, 1, 1, 1, 1, 1, 1, 1]] * 5, dtype=float)
    weights = pd.DataFrame([[4, 1, 1, 1, 1, 1, 1, 1], [1] * 8], index=[1, "default"], columns=list(FACETS))
    data = concat(frame(1, answers, category_id=1), frame(2, answers, category_id=2))
    p = compute_scores(data, weights).products
    assert p.loc[1, "doctor_score"] == pytest.approx((4 * 5 + 7) / 11)  # category 1's weights
    assert p.loc[2, "doctor_score"] == pytest.approx((5 + 7) / 8)  # default row


def test_invalid_answers_are_rejected():
    with pytest.raises(ValueError):
        compute_scores(frame(1, [4, 4, 4, 4, 6]))
    with pytest.raises(ValueError):
        compute_scores(frame(1, [4, 4, 4, 4, 3.5]))
