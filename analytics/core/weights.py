"""Population weights (§3): post-stratification or raking, then trimming.

The functions work on *cells*: sets of rows of one group (product, vendor …) that share every
variable a weight depends on (strata levels, campaign). Each cell carries its number of rows
`count`; a cell of one row is a plain row. All groups are weighted at once with `np.bincount`; the
only loops are over strata dimensions and iterations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import constants as c
from .rows import Stratum


def _sum(group: np.ndarray, n_groups: int, values: np.ndarray) -> np.ndarray:
    return np.bincount(group, weights=values, minlength=n_groups)


@dataclass(frozen=True)
class Raking:
    """Weight of each cell, and per group: balanced flag and number of leading strata dimensions used."""

    weight: np.ndarray
    balanced: np.ndarray
    n_dims: np.ndarray


def _plan(group: np.ndarray, n_groups: int, strata: list[Stratum], count: np.ndarray):
    """Return, per dimension, (cells of a known level, group x level code, target shares, levels) and
    the balanced flag of each group in that dimension (no level with a share > 0 left without respondent).

    A level absent from a group has its population share spread over the present levels.
    """
    plan, balanced = [], []
    for s in strata:
        n_levels = len(s.shares)
        known = np.flatnonzero(s.codes >= 0)
        cell = group[known] * n_levels + s.codes[known]
        present = (_sum(cell, n_groups * n_levels, count[known]) > 0).reshape(n_groups, n_levels)
        balanced.append(~((s.shares > 0)[None, :] & ~present).any(axis=1))
        share = np.where(present, s.shares[None, :], 0.0)
        total = share.sum(axis=1, keepdims=True)
        share = np.divide(share, total, out=np.zeros_like(share), where=total > 0)
        plan.append((known, cell, share, n_levels))
    return plan, balanced


def _margins(plan_entry, n_groups: int, w: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Return the weighted total of each group x level of one dimension."""
    known, cell, _, n_levels = plan_entry
    return _sum(cell, n_groups * n_levels, (w * count)[known]).reshape(n_groups, n_levels)


def _fit(plan, n_groups: int, n_cells: int, count: np.ndarray, max_iter: int, tol: float) -> np.ndarray:
    """Iterative proportional fitting, each group stopping once its adjustment factors are within `tol` of 1."""
    w = np.ones(n_cells)
    active = np.ones(n_groups, dtype=bool)
    for _ in range(max_iter):
        worst = np.zeros(n_groups)
        for entry in plan:
            level_w = _margins(entry, n_groups, w, count)
            target = entry[2] * level_w.sum(axis=1, keepdims=True)
            factor = np.divide(target, level_w, out=np.ones_like(target), where=level_w > 0)
            factor[~active] = 1.0
            worst = np.maximum(worst, np.abs(factor - 1.0).max(axis=1, initial=0.0))
            w[entry[0]] *= factor.ravel()[entry[1]]
        active &= worst >= tol
        if len(plan) <= 1 or not active.any():
            break
    return w


def margin_gap(group: np.ndarray, n_groups: int, strata: list[Stratum], w: np.ndarray, count: np.ndarray):
    """Return each group's largest distance between a weighted margin share and its target (0-1)."""
    plan, _ = _plan(group, n_groups, strata, count)
    return _gap(plan, n_groups, w, count)


def _gap(plan, n_groups: int, w: np.ndarray, count: np.ndarray) -> np.ndarray:
    gap = np.zeros(n_groups)
    for entry in plan:
        level_w = _margins(entry, n_groups, w, count)
        total = level_w.sum(axis=1, keepdims=True)
        share = np.divide(level_w, total, out=entry[2].copy(), where=total > 0)
        gap = np.maximum(gap, np.abs(share - entry[2]).max(axis=1, initial=0.0))
    return gap


def rake(
    group: np.ndarray,
    n_groups: int,
    strata: list[Stratum],
    count: np.ndarray,
    max_iter: int = c.RAKING_MAX_ITER,
    tol: float = c.RAKING_TOL,
    margin_tol: float = c.RAKING_MARGIN_TOL,
) -> Raking:
    """Weight each group's cells to the population margins of `strata`, dropping dimensions it cannot reach.

    With one dimension this is the post-stratification weight pi_s / (n_s / n) (one pass); with
    several, iterative proportional fitting until every adjustment factor of the group is within
    `tol` of 1, each group stopping on its own as if raked alone. Raking has converged when every
    weighted margin share is within `margin_tol` of its target (§3); a group where it has not is
    raked again without the last dimension, and so on down to the first alone, which always
    converges. A level with population share > 0 and no respondent in a group has its share spread
    over the present levels, and the group is not balanced (in the dimensions it uses). Cells whose
    level is unknown (-1) in a dimension keep their weight for it. Weights have mean 1 over the
    rows of each group.
    """
    n_cells = group.shape[0]
    w = np.ones(n_cells)
    n_dims = np.full(n_groups, len(strata), dtype=np.int64)
    balanced = np.ones(n_groups, dtype=bool)
    todo = np.ones(n_groups, dtype=bool)
    for k in range(len(strata), 0, -1):  # the loop runs over dimensions, every group at once
        cells = np.flatnonzero(todo[group])
        sub_group, sub_count = group[cells], count[cells]
        plan, sub_balanced = _plan(sub_group, n_groups, [s.take(cells) for s in strata[:k]], sub_count)
        sub_w = _fit(plan, n_groups, cells.size, sub_count, max_iter, tol)
        done = todo & ((_gap(plan, n_groups, sub_w, sub_count) <= margin_tol) | (k == 1))
        take = done[sub_group]
        w[cells[take]] = sub_w[take]
        n_dims[done] = k
        balanced[done] = np.logical_and.reduce(sub_balanced)[done]
        todo &= ~done
        if not todo.any():
            break
    return Raking(normalise(group, n_groups, w, count), balanced, n_dims)


def weighting_labels(n_dims: np.ndarray, names: list[str], n: np.ndarray) -> np.ndarray:
    """Return the strata dimensions each group's weights used, joined by "+" ("" for a group without rows)."""
    options = np.array(["+".join(names[:k]) for k in range(len(names) + 1)], dtype=object)
    return np.where(n > 0, options[n_dims], "")


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
) -> Raking:
    """Return the raking of every group with its weights trimmed (§3)."""
    if not strata:
        return Raking(
            np.ones(group.shape[0]), np.ones(n_groups, dtype=bool), np.zeros(n_groups, dtype=np.int64)
        )
    raking = rake(
        group, n_groups, strata, count, params.raking_max_iter, params.raking_tol, params.raking_margin_tol
    )
    return Raking(
        trim(group, n_groups, raking.weight, count, params.trim_factor), raking.balanced, raking.n_dims
    )
