"""Weight the cells of every group and estimate the mean score of every group (§3-§5)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import constants as c
from .estimates import Estimate, Moments, dirichlet_beta, status
from .weighting_cells import Cells
from .weights import population_weights


@dataclass(frozen=True)
class Tallies:
    """Per-cell sums of a score y: rows, sum y, sum y^2, rows at the lowest and at the highest level."""

    count: np.ndarray
    y: np.ndarray
    y2: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def where(self, keep: np.ndarray) -> Tallies:
        """Return the tallies with the cells outside `keep` emptied."""
        return Tallies(*(np.where(keep, a, 0.0) for a in (self.count, self.y, self.y2, self.low, self.high)))


def tally(cells: Cells, y: np.ndarray) -> Tallies:
    """Tally a row-level score into the cells."""
    return Tallies(
        count=cells.sum(),
        y=cells.sum(y),
        y2=cells.sum(y * y),
        low=cells.sum((y <= c.LOW).astype(np.float64)),
        high=cells.sum((y >= c.HIGH).astype(np.float64)),
    )


@dataclass(frozen=True)
class GroupScores:
    """Estimate, balance, status and strata dimensions used of every group, and the final weight of every cell."""

    estimate: Estimate
    balanced: np.ndarray
    status: np.ndarray
    weight: np.ndarray
    n_dims: np.ndarray  # leading strata dimensions the group's weights reached (§3)


def estimate_groups(cells: Cells, n_groups: int, t: Tallies, recency: np.ndarray, params) -> GroupScores:
    """Weight the cells (population weight x recency) and estimate each group's mean with its interval."""
    raking = population_weights(cells.group, n_groups, cells.strata, t.count, params)
    w = raking.weight * recency
    g = cells.group

    def total(values):
        return np.bincount(g, weights=values, minlength=n_groups)

    moments = Moments(
        n=total(t.count),
        sw=total(w * t.count),
        sw2=total(w * w * t.count),
        swy=total(w * t.y),
        swy2=total(w * t.y2),
        n_low=total(t.low),
        n_high=total(t.high),
    )
    est = dirichlet_beta(moments, params.confidence)
    st = status(est.n, est.n_eff, params.min_respondents, params.limited_respondents, params.limited_neff)
    return GroupScores(est, raking.balanced, st, w, raking.n_dims)
