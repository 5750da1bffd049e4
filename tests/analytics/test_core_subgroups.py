"""Scores for a doctor like me (METHODOLOGY §10): a subgroup's estimate is the §3-§4 estimate run on the
subgroup alone. One test builds that estimate by hand (post-stratification weights, Kish n_eff and the
Dirichlet-Beta interval of §4 with scipy's beta); another runs the whole pipeline on the subgroup's rows
only; others check the thresholds (nothing under 5, "limited data" under 20)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analytics.core import FACETS, Params, compute_scores
from tests.analytics.core_frames import END, concat, frame

PRIOR = np.array([0.35, 0.10, 0.10, 0.10, 0.35])
LEVELS = np.arange(1, 6)
MARGINS = {"practice_group": {"gp": 600.0, "specialist": 400.0}, "region": {"11": 700.0, "84": 300.0}}


def _dirichlet_beta(y, w):
    """§4 by hand: the moment-matched Beta interval of the weighted mean, with n_eff = (Σw)²/Σw²."""
    n_eff = w.sum() ** 2 / (w**2).sum()
    mean, mean2 = np.average(y, weights=w), np.average(y**2, weights=w)
    a = n_eff + PRIOR.sum()
    m = (n_eff * mean + (PRIOR * LEVELS).sum()) / a
    m2 = (n_eff * mean2 + (PRIOR * LEVELS**2).sum()) / a
    v = (m2 - m * m) / (a + 1)
    u, v = (m - 1) / 4, v / 16
    kappa = u * (1 - u) / v - 1
    low, high = 1 + 4 * stats.beta.ppf([0.025, 0.975], u * kappa, (1 - u) * kappa)
    return mean, min(low, mean), max(high, mean), n_eff


def _responses(seed=3):
    rng = np.random.default_rng(seed)
    parts = []
    for group, region, n in (
        ("gp", "11", 18),
        ("specialist", "11", 9),
        ("gp", "84", 7),
        ("specialist", "84", 6),
    ):
        answers = rng.integers(1, 6, size=(n, len(FACETS))).astype(float)
        answers[rng.random(answers.shape) < 0.15] = np.nan  # some facets not answered
        answers[:, 0] = rng.integers(1, 6, size=n)  # every doctor answers at least one facet
        parts.append(frame(1, answers, practice_group=group, region=region))
    out = concat(*parts)
    out["practice_setting"] = np.where(np.arange(len(out)) % 3 == 0, "solo", "group")
    return out


def _rows(result, dimension, value, measure="global"):
    table = result.subgroups
    hit = table[(table.dimension == dimension) & (table.value == value) & (table.measure == measure)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_a_region_s_score_is_the_estimate_built_by_hand_within_the_region():
    responses = _responses()
    result = compute_scores(responses, params=Params(margins=MARGINS))
    region = responses[responses.region == "11"]
    levels = region[list(FACETS)].to_numpy()
    # Within the region, weights rake on the practice group only: post-stratification π_s / (n_s / n).
    gp = (region.practice_group == "gp").to_numpy()
    share = np.where(gp, 0.6, 0.4)
    w = share / (np.where(gp, gp.sum(), (~gp).sum()) / len(region))
    g = np.nanmean(levels, axis=1)  # equal facet weights: g is the mean of the answered facets
    mean, low, high, n_eff = _dirichlet_beta(g, w)
    row = _rows(result, "region", "11")
    assert row.n == len(region) == 27
    assert (row.score, row.ci_low, row.ci_high, row.n_effective) == (
        pytest.approx(mean),
        pytest.approx(low),
        pytest.approx(high),
        pytest.approx(n_eff),
    )
    assert row.status == "ok"
    # A facet: the same over the doctors who answered it.
    f = 3
    answered = ~np.isnan(levels[:, f])
    mean, low, high, n_eff = _dirichlet_beta(levels[answered, f], w[answered] / w[answered].mean())
    row = _rows(result, "region", "11", FACETS[f])
    assert row.n == answered.sum()
    assert (row.score, row.ci_low, row.ci_high) == (
        pytest.approx(mean),
        pytest.approx(low),
        pytest.approx(high),
    )


@pytest.mark.parametrize(
    ("dimension", "value"),
    [
        ("practice_group", "gp"),
        ("practice_group", "specialist"),
        ("region", "84"),
        ("practice_setting", "solo"),
    ],
)
def test_every_subgroup_equals_the_pipeline_run_on_its_rows_alone(dimension, value):
    responses = _responses()
    # Two campaigns, so that recency weights take part too.
    responses["campaign_id"] = np.where(np.arange(len(responses)) % 2, 1, 2)
    age = np.where(responses["campaign_id"] == 2, 0, 182)
    responses["campaign_end"] = END - pd.to_timedelta(age, unit="D")
    params = Params(margins=MARGINS, reference_date=END)
    result = compute_scores(responses, params=params)
    alone = compute_scores(
        responses[responses[dimension] == value],
        params=Params(margins={k: v for k, v in MARGINS.items() if k != dimension}, reference_date=END),
    )
    row = _rows(result, dimension, value)
    product = alone.products.loc[1]
    assert row.n == product.n_respondents
    for mine, theirs in (("score", "doctor_score"), ("ci_low", "doctor_ci_low"), ("ci_high", "doctor_ci_high"),
                         ("variance", "doctor_variance"), ("n_effective", "n_effective"), ("status", "status")):  # fmt: skip
        assert row[mine] == pytest.approx(product[theirs]), mine
    for facet in alone.facets.itertuples():
        if facet.n >= 5:
            row = _rows(result, dimension, value, facet.facet)
            assert (row.n, row.score, row.ci_low, row.ci_high) == (
                facet.n,
                pytest.approx(facet.score),
                pytest.approx(facet.ci_low),
                pytest.approx(facet.ci_high),
            )


def test_small_subgroups_leave_no_trace_and_limited_ones_say_so():
    responses = concat(
        frame(1, np.full(25, 4.0), practice_group="gp", region="11"),
        frame(1, np.full(9, 3.0), practice_group="specialist", region="84"),
        frame(1, np.full(4, 2.0), practice_group="specialist", region="93"),
        frame(2, np.full(4, 5.0), practice_group="gp", region=None),
    )
    table = compute_scores(responses).subgroups
    assert (table.n >= 5).all()
    shown = {
        (r.product_id, r.dimension, r.value): r.status for r in table[table.measure == "global"].itertuples()
    }
    assert shown == {
        (1, "practice_group", "gp"): "ok",
        (1, "practice_group", "specialist"): "limited",  # 13 specialists: 9 + 4
        (1, "region", "11"): "ok",
        (1, "region", "84"): "limited",
    }
    # The region of 4 specialists and product 2's 4 doctors are nowhere, not even as counts.
    assert "93" not in set(table.value) and 2 not in set(table.product_id)


def test_doctors_without_a_known_level_count_in_no_subgroup_of_that_dimension():
    responses = concat(frame(1, np.full(6, 4.0), region="11"), frame(1, np.full(30, 2.0), region=None))
    responses["practice_setting"] = [""] * 36
    table = compute_scores(responses).subgroups
    region = table[(table.dimension == "region") & (table.measure == "global")]
    assert (
        list(region.value) == ["11"] and region.n.iloc[0] == 6 and region.score.iloc[0] == pytest.approx(4.0)
    )
    assert not (table.dimension == "practice_setting").any()


def test_every_subgroup_of_many_products_matches_the_groupby_apply_reference():
    from tests.analytics.reference_groupby import subgroup_scores_groupby_apply

    rng = np.random.default_rng(11)
    n = 3000
    product = rng.integers(1, 16, n)
    quality = rng.uniform(2, 4.5, 16)[product]
    answers = np.clip(np.rint(quality[:, None] + rng.normal(0, 1, (n, len(FACETS)))), 1, 5)
    answers[rng.random(answers.shape) < 0.1] = np.nan
    answers[:, 0] = np.clip(np.rint(quality + rng.normal(0, 1, n)), 1, 5)
    responses = frame(product, answers, practice_group=np.where(rng.random(n) < 0.45, "gp", "specialist"),
                      region=rng.choice(["11", "84", "93", None], n, p=[0.4, 0.3, 0.2, 0.1]))  # fmt: skip
    responses["practice_setting"] = rng.choice(["solo", "group", "health_centre", ""], n)
    responses["campaign_id"] = rng.integers(1, 3, n)
    responses["campaign_end"] = END - pd.to_timedelta(
        np.where(responses["campaign_id"] == 2, 0, 200), unit="D"
    )
    params = Params(margins=MARGINS, reference_date=END)
    ours = compute_scores(responses, params=params).subgroups
    peer_globals, peer_facets = subgroup_scores_groupby_apply(responses, params=params)
    peer_globals = peer_globals[peer_globals.doctor_n >= 5]
    mine = ours[ours.measure == "global"].set_index(["product_id", "dimension", "value"]).sort_index()
    theirs = peer_globals.set_index(["product_id", "dimension", "value"]).sort_index()
    assert list(mine.index) == list(theirs.index) and len(mine) > 80
    for a, b in (("n", "doctor_n"), ("score", "doctor_score"), ("ci_low", "doctor_ci_low"),
                 ("ci_high", "doctor_ci_high"), ("n_effective", "doctor_n_effective")):  # fmt: skip
        np.testing.assert_allclose(mine[a].to_numpy(float), theirs[b].to_numpy(float), rtol=1e-9, atol=1e-9)
    peer_facets = peer_facets[peer_facets.n >= 5].set_index(["product_id", "dimension", "value", "facet"])
    facets = ours[ours.measure != "global"].rename(columns={"measure": "facet"})
    facets = facets.set_index(["product_id", "dimension", "value", "facet"]).loc[peer_facets.index]
    for column in ("n", "score", "ci_low", "ci_high"):
        np.testing.assert_allclose(
            facets[column].to_numpy(float), peer_facets[column].to_numpy(float), rtol=1e-9
        )
