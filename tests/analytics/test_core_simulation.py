"""Coverage of the 95% intervals in a simulation with a known population truth (METHODOLOGY §4).

The population is 60,900 GPs and 55,200 specialists who answer differently; the sample is biased
(80% specialists). Each product has its own answer distribution per group and facet, some piled
up on 5 or on 1; a doctor's facets are correlated (Gaussian copula) and each facet is "not
applicable" with probability 10%. The truth is the population mean of the answer distribution
(facets) and of g (exact, by enumerating which facets a doctor answers).
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analytics.core import FACETS, Params, compute_scores

N_PRODUCTS = 2000
MIN_N, MAX_N = 5, 500
SPECIALIST_SHARE_IN_SAMPLE = 0.8
POPULATION = {"gp": 60900.0, "specialist": 55200.0}
ANSWER_RATE = 0.9
FACET_CORRELATION = 0.6
# Unequal category weights, so that g is not a plain mean of the facets.
FACET_WEIGHTS = np.array([2.0, 2.0, 1.0, 1.0, 1.5, 1.0, 0.5, 1.0])
LEVELS = np.arange(1, 6)


def _level_probabilities(rng, n_products):
    """Return (products, 2 groups, 8 facets, 5 levels) answer distributions."""
    centre = rng.uniform(2.0, 4.6, n_products)
    gap = rng.uniform(0.4, 1.2, n_products) * rng.choice([-1.0, 1.0], n_products)  # GP minus specialist
    means = centre[:, None, None] + np.array([0.5, -0.5])[None, :, None] * gap[:, None, None]
    means = means + rng.normal(0.0, 0.3, (n_products, 1, len(FACETS)))
    spread = rng.uniform(0.6, 1.3, (n_products, 1, 1))
    logits = -((LEVELS - means[..., None]) ** 2) / (2 * spread[..., None] ** 2)
    probs = np.exp(logits)
    probs /= probs.sum(axis=-1, keepdims=True)
    # Products whose answers pile up on 5 (10%) and on 1 (10%), still different between groups.
    kind = rng.random(n_products)
    on_five = np.array([[0.01, 0.01, 0.03, 0.10, 0.85], [0.03, 0.04, 0.08, 0.25, 0.60]])
    on_one = on_five[:, ::-1]
    probs[kind < 0.1] = on_five[None, :, None, :]
    probs[(kind >= 0.1) & (kind < 0.2)] = on_one[None, :, None, :]
    return probs


def _g_truth(probs):
    """Population mean of g for each product, exact over the patterns of answered facets."""
    means = (probs * LEVELS).sum(axis=-1)  # (products, groups, facets)
    patterns = np.array(list(itertools.product([0, 1], repeat=len(FACETS))), dtype=float)[1:]
    p_pattern = np.prod(np.where(patterns == 1, ANSWER_RATE, 1 - ANSWER_RATE), axis=1)
    p_pattern /= p_pattern.sum()  # a response with no facet answered does not count
    w = patterns * FACET_WEIGHTS
    g_by_pattern = np.einsum("sf,pgf->pgs", w, means) / w.sum(axis=1)
    by_group = (g_by_pattern * p_pattern).sum(axis=-1)
    return _mix(by_group), _mix(means)


def _mix(by_group):
    shares = np.array([POPULATION["gp"], POPULATION["specialist"]]) / sum(POPULATION.values())
    return np.tensordot(by_group, shares, axes=([1], [0]))


def simulate(seed=2024, n_products=N_PRODUCTS):
    """Return (responses, facet_weights, g truth per product, facet truth (products, 8))."""
    rng = np.random.default_rng(seed)
    probs = _level_probabilities(rng, n_products)
    sizes = np.floor(np.exp(rng.uniform(np.log(MIN_N), np.log(MAX_N + 1), n_products))).astype(int)
    product = np.repeat(np.arange(n_products), sizes)
    n = product.size
    specialist = rng.random(n) < SPECIALIST_SHARE_IN_SAMPLE
    group = specialist.astype(int)  # 0 = GP, 1 = specialist
    # Correlated facets: one latent satisfaction per doctor, mapped through each facet's distribution.
    latent = rng.standard_normal(n)[:, None]
    z = FACET_CORRELATION * latent + np.sqrt(1 - FACET_CORRELATION**2) * rng.standard_normal((n, len(FACETS)))
    u = stats.norm.cdf(z)
    cum = np.cumsum(probs[product, group], axis=-1)  # (n, facets, 5)
    answers = 1.0 + (u[..., None] > cum[..., :-1]).sum(axis=-1)
    answers[rng.random((n, len(FACETS))) > ANSWER_RATE] = np.nan

    end = pd.Timestamp("2025-06-30", tz="UTC")
    responses = pd.DataFrame(
        {
            "doctor_id": np.arange(n, dtype=np.int64) + 1,
            "product_id": product.astype(np.int64) + 1,
            "campaign_id": np.ones(n, dtype=np.int64),
            "vendor_id": product.astype(np.int64) // 4 + 1,
            "category_id": np.full(n, 7, dtype=np.int64),
            "campaign_end": end,
            "submitted_at": end - pd.Timedelta(days=3),
            "practice_group": np.where(specialist, "specialist", "gp"),
            "region": None,
            "recommend": np.clip(np.rint(answers[:, 0] * 2), 0, 10),
            "flagged": False,
        }
    )
    for f, name in enumerate(FACETS):
        responses[name] = answers[:, f]
    facet_weights = pd.DataFrame([FACET_WEIGHTS], index=[7], columns=list(FACETS))
    g_truth, facet_truth = _g_truth(probs)
    return responses, facet_weights, g_truth, facet_truth


@pytest.fixture(scope="module")
def simulation():
    responses, facet_weights, g_truth, facet_truth = simulate()
    weighted = compute_scores(responses, facet_weights)
    unweighted = compute_scores(responses, facet_weights, params=Params(margins={}))
    return responses, g_truth, facet_truth, weighted, unweighted


def _g_coverage(result, g_truth):
    p = result.products.sort_index()
    assert (p["status"] != "insufficient").all()
    return float(((p["doctor_ci_low"] <= g_truth) & (g_truth <= p["doctor_ci_high"])).mean())


def _facet_coverage(result, facet_truth):
    f = result.facets
    shown = f[f["status"] != "insufficient"]
    truth = facet_truth[shown["product_id"].to_numpy() - 1, shown["facet"].map(FACETS.index).to_numpy()]
    inside = (shown["ci_low"].to_numpy() <= truth) & (truth <= shown["ci_high"].to_numpy())
    return pd.Series(inside).groupby(shown["facet"].to_numpy()).mean()


def test_simulation_has_the_required_shape(simulation):
    responses, *_ = simulation
    sizes = responses.groupby("product_id").size()
    assert responses["product_id"].nunique() >= 300
    assert sizes.min() >= MIN_N and sizes.max() <= MAX_N
    assert (responses["practice_group"] == "specialist").mean() == pytest.approx(0.8, abs=0.01)


def test_coverage_of_the_global_score(simulation):
    _, g_truth, _, weighted, _ = simulation
    coverage = _g_coverage(weighted, g_truth)
    assert 0.93 <= coverage <= 0.985, coverage


def test_coverage_of_each_facet(simulation):
    _, _, facet_truth, weighted, _ = simulation
    coverage = _facet_coverage(weighted, facet_truth)
    assert set(coverage.index) == set(FACETS)
    assert ((coverage >= 0.93) & (coverage <= 0.985)).all(), coverage.to_dict()


def test_ignoring_the_weights_fails_the_coverage(simulation):
    _, g_truth, facet_truth, _, unweighted = simulation
    assert _g_coverage(unweighted, g_truth) < 0.85
    assert (_facet_coverage(unweighted, facet_truth) < 0.88).all()


def test_no_systematic_bias_at_large_n(simulation):
    _, g_truth, _, weighted, unweighted = simulation
    p = weighted.products.sort_index()
    large = (p["n_respondents"] >= 200).to_numpy()
    error = p["doctor_score"].to_numpy()[large] - g_truth[large]
    # Bias of the mean error, in units of its standard error, and in absolute terms.
    assert abs(error.mean()) < 3 * error.std(ddof=1) / np.sqrt(large.sum())
    assert np.sqrt(np.mean(error**2)) < 0.1
    raw = unweighted.products.sort_index()["doctor_score"].to_numpy()[large] - g_truth[large]
    assert np.sqrt(np.mean(raw**2)) > 2 * np.sqrt(np.mean(error**2))
