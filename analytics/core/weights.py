"""Population weights (§3): post-stratification or raking, then trimming.

The functions work on *cells*: sets of rows of one group (product, vendor …) that share every
variable a weight depends on (strata levels, campaign). Each cell carries its number of rows
`count`; a cell of one row is a plain row. All groups are weighted at once with `np.bincount`; the
only loops are over strata dimensions and iterations.
"""

from __future__ import annotations

import numpy as np

from . import constants as c
from .prepare import Stratum


def _sum(group: np.ndarray, n_groups: int, values: np.ndarray) -> np.ndarray:
    return np.bincount(group, weights=values, minlength=n_groups)


def rake(
    group: np.ndarray,
    n_groups: int,
    strata: list[Stratum],
    count: np.ndarray,
    max_iter: int = c.RAKING_MAX_ITER,
    tol: float = c.RAKING_TOL,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (weight of each cell, balanced flag of each group).

    With one dimension this is the post-stratification weight pi_s / (n_s / n) (one pass); with
    several, iterative proportional fitting until every adjustment factor of the group is within
    `tol` of 1, each group stopping on its own as if raked alone. A level with population share > 0
    and no respondent in a group has its share spread over the present levels, and the group is not
    balanced. Cells whose level is unknown (-1) in a dimension keep their weight for it. Weights
    have mean 1 over the rows of each group.
    """
    w = np.ones(group.shape[0])
    balanced = np.ones(n_groups, dtype=bool)
    plan = []
    for s in strata:
        n_levels = len(s.shares)
        known = np.flatnonzero(s.codes >= 0)
        cell = group[known] * n_levels + s.codes[known]
        present = (_sum(cell, n_groups * n_levels, count[known]) > 0).reshape(n_groups, n_levels)
        balanced &= ~((s.shares > 0)[None, :] & ~present).any(axis=1)
        share = np.where(present, s.shares[None, :], 0.0)
        total = share.sum(axis=1, keepdims=True)
        share = np.divide(share, total, out=np.zeros_like(share), where=total > 0)
        plan.append((known, cell, share, n_levels))

    active = np.ones(n_groups, dtype=bool)
    for _ in range(max_iter):
        worst = np.zeros(n_groups)
        for known, cell, share, n_levels in plan:
            level_w = _sum(cell, n_groups * n_levels, (w * count)[known]).reshape(n_groups, n_levels)
            target = share * level_w.sum(axis=1, keepdims=True)
            factor = np.divide(target, level_w, out=np.ones_like(target), where=level_w > 0)
            factor[~active] = 1.0
            worst = np.maximum(worst, np.abs(factor - 1.0).max(axis=1, initial=0.0))
            w[known] *= factor.ravel()[cell]
        active &= worst >= tol
        if len(plan) <= 1 or not active.any():
            break
    return normalise(group, n_groups, w, count), balanced


def normalise(group: np.ndarray, n_groups: int, w: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Rescale weights to mean 1 over the rows of each group."""
    n = _sum(group, n_groups, count)
    total = _sum(group, n_groups, w * count)
    scale = np.divide(n, total, out=np.ones(n_groups), where=total > 0)
    return w * scale[group]


def trim(
    group: np.ndarray,
    n_groups: int,
    w: np.ndarray,
    count: np.ndarray,
    factor: float = c.TRIM_FACTOR,
    max_rounds: int = c.TRIM_MAX_ROUNDS,
) -> np.ndarray:
    """Cap weights at `factor` times their group's mean, renormalise, repeat until none exceeds it."""
    w = normalise(group, n_groups, w, count)  # mean 1: the cap is simply `factor`
    over = (w > factor * (1.0 + 1e-12)) & (count > 0)
    if not over.any():
        return w
    # Only the groups with a weight over the cap take part in the rounds.
    hit = np.zeros(n_groups, dtype=bool)
    hit[group[over]] = True
    cells = np.flatnonzero(hit[group])
    sub_codes, sub_group = np.unique(group[cells], return_inverse=True)
    sub_w, sub_count = w[cells], count[cells]
    for _ in range(max_rounds):
        sub_w = normalise(sub_group, len(sub_codes), np.minimum(sub_w, factor), sub_count)
        if not ((sub_w > factor * (1.0 + 1e-9)) & (sub_count > 0)).any():
            break
    w = w.copy()
    w[cells] = sub_w
    return w


def population_weights(
    group: np.ndarray, n_groups: int, strata: list[Stratum], count: np.ndarray, params
) -> tuple[np.ndarray, np.ndarray]:
    """Return (trimmed population weight of each cell, balanced flag of each group)."""
    if not strata:
        return np.ones(group.shape[0]), np.ones(n_groups, dtype=bool)
    w, balanced = rake(group, n_groups, strata, count, params.raking_max_iter, params.raking_tol)
    return trim(group, n_groups, w, count, params.trim_factor), balanced
