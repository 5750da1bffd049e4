"""Raking against an independent IPF library, and what happens when margins cannot be reached (METHODOLOGY §3)."""

import numpy as np
import pytest
from ipfn.ipfn import ipfn

from analytics.core import Params, compute_scores
from analytics.core.rows import Stratum
from analytics.core.weights import margin_gap, rake

from .core_frames import concat, frame

PRACTICE = np.array([60900.0, 55200.0])
REGION = np.array([0.5, 0.3, 0.2])


def _sample(rng, sizes, practice_p=0.3):
    """Rows of several products with every practice group x region cell populated."""
    group, practice, region = [], [], []
    for g, n in enumerate(sizes):
        pg = (rng.random(n) > practice_p).astype(np.int64)
        rg = rng.choice(3, n, p=[0.2, 0.3, 0.5])
        pg[:6], rg[:6] = [0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2]  # no empty cell
        group.append(np.full(n, g))
        practice.append(pg)
        region.append(rg)
    return np.concatenate(group), np.concatenate(practice), np.concatenate(region)


def _strata(*codes_and_margins):
    return [
        Stratum(f"d{i}", np.asarray(codes), np.asarray(margins, dtype=float) / np.sum(margins))
        for i, (codes, margins) in enumerate(codes_and_margins)
    ]


def _ipfn_weights(codes, margins):
    """Weight of each row from ipfn's fitted table of the sample's counts: fitted cell / sample cell."""
    shape = tuple(len(m) for m in margins)
    counts = np.zeros(shape)
    np.add.at(counts, tuple(codes), 1.0)
    n = counts.sum()
    aggregates = [np.asarray(m, dtype=float) / np.sum(m) * n for m in margins]
    fitted = ipfn(
        counts.copy(),
        aggregates,
        [[d] for d in range(len(shape))],
        convergence_rate=1e-13,
        max_iteration=5000,
        rate_tolerance=0.0,
    ).iteration()
    return fitted[tuple(codes)] / counts[tuple(codes)], fitted


def _weighted_shares(codes, w, n_levels):
    totals = np.bincount(codes, weights=w, minlength=n_levels)
    return totals / totals.sum()


def test_raking_agrees_with_ipfn_where_it_converges():
    rng = np.random.default_rng(5)
    group, practice, region = _sample(rng, [45, 80, 130])
    raking = rake(group, 3, _strata((practice, PRACTICE), (region, REGION)), np.ones(group.size))
    assert raking.n_dims.tolist() == [2, 2, 2] and raking.balanced.all()
    for g in range(3):
        rows = group == g
        expected, _ = _ipfn_weights([practice[rows], region[rows]], [PRACTICE, REGION])
        assert raking.weight[rows] == pytest.approx(expected, abs=1e-6)


def test_unreachable_margins_drop_the_last_dimension_for_that_product_only():
    rng = np.random.default_rng(9)
    group, practice, region = _sample(rng, [60, 60])
    # Product 1: GPs answered only from region 0 and specialists only from regions 1-2, so the
    # weighted GP share equals region 0's share: 52.5% and 50% cannot both be met.
    sparse = group == 1
    region[sparse] = np.where(practice[sparse] == 0, 0, 1 + (np.arange(sparse.sum()) % 2))
    strata = _strata((practice, PRACTICE), (region, REGION))
    raking = rake(group, 2, strata, np.ones(group.size))

    # The independent library cannot reach those margins either (raked alone, 5,000 iterations).
    rows = group == 1
    _, fitted = _ipfn_weights([practice[rows], region[rows]], [PRACTICE, REGION])
    gp_target = PRACTICE[0] / PRACTICE.sum()
    ipfn_gp_share = fitted.sum(axis=1)[0] / fitted.sum()
    ipfn_region_share = fitted.sum(axis=0) / fitted.sum()
    assert max(abs(ipfn_gp_share - gp_target), abs(ipfn_region_share - REGION).max()) > 0.005

    assert raking.n_dims.tolist() == [2, 1]
    # Product 0 is raked on both dimensions as before; product 1 post-stratified on practice group.
    expected_0, _ = _ipfn_weights([practice[~rows], region[~rows]], [PRACTICE, REGION])
    assert raking.weight[~rows] == pytest.approx(expected_0, abs=1e-6)
    n, n_gp = rows.sum(), (practice[rows] == 0).sum()
    post = np.where(practice[rows] == 0, gp_target / (n_gp / n), (1 - gp_target) / ((n - n_gp) / n))
    assert raking.weight[rows] == pytest.approx(post, rel=1e-12)
    # The margins it uses are met within 0.5 point; the dropped one is far off.
    assert _weighted_shares(practice[rows], raking.weight[rows], 2)[0] == pytest.approx(gp_target, abs=0.005)
    assert abs(_weighted_shares(region[rows], raking.weight[rows], 3) - REGION).max() > 0.005
    assert margin_gap(group, 2, strata[:1], raking.weight, np.ones(group.size)).max() <= 0.005


def test_dimensions_are_dropped_last_added_first():
    rng = np.random.default_rng(2)
    group, practice, region = _sample(rng, [90])
    third = practice.copy()  # a third dimension that duplicates the first with other margins
    strata = _strata((practice, PRACTICE), (region, REGION), (third, [30.0, 70.0]))
    raking = rake(group, 1, strata, np.ones(group.size))
    assert raking.n_dims.tolist() == [2]
    expected, _ = _ipfn_weights([practice, region], [PRACTICE, REGION])
    assert raking.weight == pytest.approx(expected, abs=1e-6)
    assert margin_gap(group, 1, strata[:2], raking.weight, np.ones(group.size)).max() <= 0.005


def test_scores_record_the_dimensions_their_weights_used():
    margins = {"practice_group": {"gp": 60900, "specialist": 55200}, "region": {"11": 5, "84": 3, "93": 2}}
    balanced = frame(
        1,
        [4, 5, 3, 4, 2, 4, 5, 3, 4, 4, 3, 5],
        practice_group=["gp", "specialist"] * 6,
        region=["11", "11", "84", "84", "93", "93"] * 2,
    )
    # GPs only from region 11, specialists only from 84 and 93: the margins cannot all be met.
    sparse = frame(
        2,
        [4, 5, 3, 4, 2, 4, 5, 3, 4, 4, 3, 5],
        practice_group=["gp", "specialist"] * 6,
        region=["11", "84", "11", "93"] * 3,
    )
    p = compute_scores(concat(balanced, sparse), params=Params(margins=margins)).products
    assert p.loc[1, "weighting"] == "practice_group+region"
    assert p.loc[2, "weighting"] == "practice_group"
    assert p.loc[2, "status"] == p.loc[1, "status"]  # status unchanged
    # Weighted on the practice group alone: 6 GPs and 6 specialists at their population shares.
    share = 60900 / 116100
    g = np.array([4, 5, 3, 4, 2, 4, 5, 3, 4, 4, 3, 5], dtype=float)
    w = np.where(np.arange(12) % 2 == 0, share / 0.5, (1 - share) / 0.5)
    assert p.loc[2, "doctor_score"] == pytest.approx((w * g).sum() / w.sum(), rel=1e-12)
    without_margins = compute_scores(concat(balanced, sparse), params=Params(margins={})).products
    assert (without_margins["weighting"] == "").all()
