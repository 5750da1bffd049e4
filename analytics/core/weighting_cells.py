"""Cells: rows of one group that share every variable their weight depends on.

A response's weight is a function of its group (product), its strata levels and its campaign only,
so rows are first tallied into cells (group x strata combination x campaign x flagged) with one
`np.bincount` per quantity; weighting and estimation then run on the small cell table, and the
sensitivity analysis without flagged responses reuses the same tallies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import constants as c
from .rows import Stratum

# Dense cell codes are used while the full cross-product stays below this size; else the non-empty
# cells are numbered with a hash factorisation.
DENSE_CELLS_MAX = 1 << 18


@dataclass(frozen=True)
class Cells:
    """Cell code of every row, and the group, strata levels, campaign and flag of every cell."""

    code: np.ndarray
    n_cells: int
    group: np.ndarray
    strata: list[Stratum]
    campaign: np.ndarray
    flag: np.ndarray

    def sum(self, values: np.ndarray | None = None) -> np.ndarray:
        """Return the per-cell sum of a row-level quantity (the row count when None)."""
        return np.bincount(self.code, weights=values, minlength=self.n_cells).astype(np.float64)


def build_cells(
    group: np.ndarray,
    n_groups: int,
    strata: list[Stratum],
    campaign: np.ndarray | None = None,
    n_campaigns: int = 1,
    flag: np.ndarray | None = None,
) -> Cells:
    """Tally rows into cells of group x strata levels (unknown is a level) x campaign x flag."""
    n = group.shape[0]
    campaign = np.zeros(n, dtype=np.int64) if campaign is None else campaign
    flag = np.zeros(n, dtype=bool) if flag is None else flag
    radices = [len(s.shares) + 1 for s in strata]  # the last value stands for "unknown"
    combo = np.zeros(n, dtype=np.int64)
    for s, radix in zip(strata, radices, strict=True):
        combo = combo * radix + np.where(s.codes >= 0, s.codes, radix - 1)
    n_combos = int(np.prod(radices)) if radices else 1
    key = ((group.astype(np.int64) * n_combos + combo) * n_campaigns + campaign) * 2 + flag
    size = n_groups * n_combos * n_campaigns * 2
    if size <= max(DENSE_CELLS_MAX, n // 4):
        code, keys = key, np.arange(size, dtype=np.int64)
    else:
        code, keys = pd.factorize(key, sort=True)
        keys = np.asarray(keys, dtype=np.int64)
    cell_flag = (keys % 2).astype(bool)
    rest = keys // 2
    cell_campaign = rest % n_campaigns
    rest //= n_campaigns
    cell_combo = rest % n_combos
    cell_group = rest // n_combos
    cell_strata = []
    for s, radix in zip(reversed(strata), reversed(radices), strict=True):
        level = cell_combo % radix
        cell_combo = cell_combo // radix
        cell_strata.append(Stratum(s.name, np.where(level == radix - 1, -1, level), s.shares))
    return Cells(code, len(keys), cell_group, cell_strata[::-1], cell_campaign, cell_flag)


def category_sums(
    cells: Cells, category: np.ndarray, n_categories: int, weight: np.ndarray, n_groups: int, scaled=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (count, sum w, sum w^2) per group x category of a small-integer row variable.

    `weight` is the weight of each cell; `scaled` may pass `cells.code * n_categories` when several
    variables share it. When cells compress the rows well, rows are tallied per cell x category
    once and weighted per cell; otherwise the row weights are gathered and summed directly.
    """
    if cells.n_cells * n_categories <= cells.code.shape[0] // 2:
        scaled = cells.code * n_categories if scaled is None else scaled
        tally = np.bincount(scaled + category, minlength=cells.n_cells * n_categories)
        tally = tally.reshape(cells.n_cells, n_categories).astype(np.float64)
        out = []
        for per_cell in (tally, tally * weight[:, None], tally * (weight**2)[:, None]):
            out.append(_group_columns(cells.group, n_groups, per_cell))
        return out[0], out[1], out[2]
    w = weight[cells.code]
    key = cells.group[cells.code] * n_categories + category
    size = n_groups * n_categories
    return (
        np.bincount(key, minlength=size).reshape(n_groups, n_categories).astype(np.float64),
        np.bincount(key, weights=w, minlength=size).reshape(n_groups, n_categories),
        np.bincount(key, weights=w * w, minlength=size).reshape(n_groups, n_categories),
    )


def _group_columns(group: np.ndarray, n_groups: int, matrix: np.ndarray) -> np.ndarray:
    return np.stack([np.bincount(group, weights=col, minlength=n_groups) for col in matrix.T], axis=1)


def recommend_category(answers: np.ndarray) -> np.ndarray:
    """Code "would recommend" answers: 0 missing, 1 promoter (9-10), 2 detractor (0-6), 3 passive."""
    out = np.full(answers.shape, 3, dtype=np.int64)
    out[answers >= c.PROMOTER_MIN] = 1
    out[answers <= c.DETRACTOR_MAX] = 2
    out[np.isnan(answers)] = 0
    return out
