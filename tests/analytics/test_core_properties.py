"""Properties of `compute_scores` on arbitrary small samples (hypothesis)."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.core import FACETS, compute_scores

from .core_frames import END, frame

answer = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def samples(draw):
    n = draw(st.integers(1, 60))
    products = draw(st.lists(st.integers(1, 6), min_size=n, max_size=n))
    answers = draw(st.lists(st.lists(answer, min_size=8, max_size=8), min_size=n, max_size=n))
    data = frame(
        products,
        np.array([[np.nan if a is None else a for a in row] for row in answers], dtype=float),
        doctor_id=np.array(draw(st.lists(st.integers(1, 25), min_size=n, max_size=n))),
        practice_group=np.array(
            draw(st.lists(st.sampled_from(["gp", "specialist"]), min_size=n, max_size=n))
        ),
        campaign_id=np.array(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))),
        recommend=np.array(
            draw(st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=n, max_size=n)), dtype=float
        ),
        flagged=np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n))),
        category_id=np.array(products) % 2 + 1,
    )
    data["campaign_end"] = END - pd.to_timedelta((3 - data["campaign_id"]) * 200, unit="D")
    data["submitted_at"] = data["campaign_end"] - pd.Timedelta(days=1)
    # The data contract: one response per doctor x product x campaign.
    return data.drop_duplicates(["doctor_id", "product_id", "campaign_id"]).reset_index(drop=True)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _within(values, low, high):
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return bool(((values >= low - 1e-12) & (values <= high + 1e-12)).all())


@SETTINGS
@given(samples())
def test_scores_and_intervals_stay_on_the_scale(data):
    result = compute_scores(data, expert_scores=pd.Series({1: 4.2, 2: 1.5}))
    p, f = result.products, result.facets
    for column in ("doctor_score", "doctor_ci_low", "doctor_ci_high", "global_score", "shrunk_score"):
        assert _within(p[column], 1.0, 5.0), column
    for column in ("score", "ci_low", "ci_high"):
        assert _within(f[column], 1.0, 5.0), column
    for column in ("recommend_pct", "recommend_ci_low", "recommend_ci_high"):
        assert _within(p[column], 0.0, 100.0), column
    assert _within(p["net_recommendation"], -100.0, 100.0)
    assert _within(result.distributions["share"], 0.0, 1.0)


@SETTINGS
@given(samples())
def test_intervals_contain_their_estimate(data):
    result = compute_scores(data)
    p = result.products
    shown = p[p["status"] != "insufficient"]
    assert (shown["doctor_ci_low"] <= shown["doctor_score"] + 1e-12).all()
    assert (shown["doctor_score"] <= shown["doctor_ci_high"] + 1e-12).all()
    assert (shown["global_ci_low"] <= shown["global_score"] + 1e-12).all()
    assert (shown["global_score"] <= shown["global_ci_high"] + 1e-12).all()
    assert shown[["doctor_score", "doctor_ci_low", "doctor_ci_high"]].notna().all().all()
    f = result.facets.dropna(subset=["score"])
    assert ((f["ci_low"] <= f["score"] + 1e-12) & (f["score"] <= f["ci_high"] + 1e-12)).all()
    r = p.dropna(subset=["recommend_pct"])
    assert (
        (r["recommend_ci_low"] <= r["recommend_pct"] + 1e-9)
        & (r["recommend_pct"] <= r["recommend_ci_high"] + 1e-9)
    ).all()
    hidden = p[p["status"] == "insufficient"]
    assert hidden["doctor_score"].isna().all() and (hidden["n_respondents"] < 5).all()


def _sorted(result):
    return (
        result.products.sort_index(),
        result.facets.sort_values(["product_id", "facet"]).reset_index(drop=True),
        result.vendors.sort_index(),
        result.distributions.sort_values(["product_id", "facet", "level_low"]).reset_index(drop=True),
        result.categories.sort_index(),
    )


@SETTINGS
@given(samples(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(data, random):
    order = list(range(len(data)))
    random.shuffle(order)
    shuffled = data.iloc[order].reset_index(drop=True)
    for a, b in zip(_sorted(compute_scores(data)), _sorted(compute_scores(shuffled)), strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-12)


def test_facet_columns_are_the_published_ones():
    assert FACETS == (
        "ease_of_use",
        "reliability",
        "features",
        "support",
        "value_for_money",
        "interoperability",
        "data_protection",
        "independence",
    )
