"""Facet scores, answer distributions and "would recommend" for every group at once (§4)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import constants as c
from .estimates import Estimate, Moments, dirichlet_beta, kish_neff, wilson_interval
from .weighting_cells import Cells, category_sums, recommend_category


@dataclass(frozen=True)
class FacetCells:
    """Per group x facet estimates (flattened: index = group * 8 + facet) and level tallies (groups, 8, 5)."""

    estimate: Estimate
    counts: np.ndarray  # raw number of answers at each level
    weight: np.ndarray  # sum of weights at each level


def facet_estimates(
    cells: Cells, levels: np.ndarray, weight: np.ndarray, n_groups: int, confidence: float
) -> FacetCells:
    """Estimate every facet of every group over the doctors who answered it, with their weights.

    `levels` is (facets, rows) with answers 1..5 and 0 for "not applicable"; `weight` is per cell.
    """
    n_facets = levels.shape[0]
    n_levels = len(c.LEVELS)
    counts = np.empty((n_groups, n_facets, n_levels))
    sw = np.empty((n_groups, n_facets, n_levels))
    sw2 = np.empty((n_groups, n_facets, n_levels))
    scaled = cells.code * (n_levels + 1)
    for f in range(n_facets):
        k, s1, s2 = category_sums(cells, levels[f], n_levels + 1, weight, n_groups, scaled)
        counts[:, f], sw[:, f], sw2[:, f] = k[:, 1:], s1[:, 1:], s2[:, 1:]
    values = np.asarray(c.LEVELS, dtype=np.float64)
    moments = Moments(
        n=counts.sum(axis=2).ravel(),
        sw=sw.sum(axis=2).ravel(),
        sw2=sw2.sum(axis=2).ravel(),
        swy=(sw * values).sum(axis=2).ravel(),
        swy2=(sw * values**2).sum(axis=2).ravel(),
        n_low=counts[:, :, 0].ravel(),
        n_high=counts[:, :, -1].ravel(),
    )
    return FacetCells(dirichlet_beta(moments, confidence), counts, sw)


@dataclass(frozen=True)
class Recommend:
    """Weighted share of promoters (9-10) with its Wilson interval, and the net recommendation."""

    n: np.ndarray
    share: np.ndarray  # 0..1
    low: np.ndarray
    high: np.ndarray
    net: np.ndarray  # % promoters - % detractors, -100..100


def recommend(
    cells: Cells, answers: np.ndarray, weight: np.ndarray, n_groups: int, confidence: float
) -> Recommend:
    """Return "would recommend" of every group; the Wilson interval uses n-tilde = n_eff (§4)."""
    k, s1, s2 = category_sums(cells, recommend_category(answers), 4, weight, n_groups)
    n = k[:, 1:].sum(axis=1)
    sw = s1[:, 1:].sum(axis=1)
    promoters, detractors = s1[:, 1], s1[:, 2]
    has = sw > 0
    safe = np.where(has, sw, 1.0)
    share = np.where(has, promoters / safe, np.nan)
    low, high = wilson_interval(share, kish_neff(sw, s2[:, 1:].sum(axis=1)), confidence)
    net = np.where(has, 100.0 * (promoters - detractors) / safe, np.nan)
    return Recommend(n=n, share=share, low=low, high=high, net=net)
