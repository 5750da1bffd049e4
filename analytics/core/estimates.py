"""Weighted estimates and their 95% intervals (§4), on grouped moments.

Everything works on arrays with one entry per group (product, facet cell, vendor …): the data are
reduced once to the moments sum(w), sum(w^2), sum(w*y), sum(w*y^2) with `np.bincount`, and the
interval is computed from them, calling `scipy.stats.beta.ppf` once on all cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from . import constants as c


@dataclass(frozen=True)
class Moments:
    """Grouped sums of a weighted sample, one entry per group."""

    n: np.ndarray  # number of observations
    sw: np.ndarray  # sum of weights
    sw2: np.ndarray  # sum of squared weights
    swy: np.ndarray  # sum of w*y
    swy2: np.ndarray  # sum of w*y^2
    n_low: np.ndarray  # observations equal to the lowest level
    n_high: np.ndarray  # observations equal to the highest level


@dataclass(frozen=True)
class Estimate:
    """Weighted mean, Dirichlet-Beta interval and posterior variance, one entry per group."""

    n: np.ndarray
    n_eff: np.ndarray
    mean: np.ndarray  # the weighted mean y-bar: the published score
    posterior_mean: np.ndarray  # m, the Dirichlet posterior mean the interval is centred on
    low: np.ndarray
    high: np.ndarray
    variance: np.ndarray  # V of §4, used as se^2 downstream
    moments: Moments | None = None  # the sums it was computed from: the open data's sufficient statistics


def grouped_moments(codes: np.ndarray, n_groups: int, y: np.ndarray, w: np.ndarray) -> Moments:
    """Reduce observations y with weights w to the moments of each group `codes` (0..n_groups-1)."""
    wy = w * y
    return Moments(
        n=np.bincount(codes, minlength=n_groups).astype(np.float64),
        sw=np.bincount(codes, weights=w, minlength=n_groups),
        sw2=np.bincount(codes, weights=w * w, minlength=n_groups),
        swy=np.bincount(codes, weights=wy, minlength=n_groups),
        swy2=np.bincount(codes, weights=wy * y, minlength=n_groups),
        n_low=np.bincount(codes, weights=(y <= c.LOW).astype(np.float64), minlength=n_groups),
        n_high=np.bincount(codes, weights=(y >= c.HIGH).astype(np.float64), minlength=n_groups),
    )


def kish_neff(sw: np.ndarray, sw2: np.ndarray) -> np.ndarray:
    """Return Kish's effective sample size (sum w)^2 / sum w^2 (0 for empty groups)."""
    sw = np.asarray(sw, dtype=np.float64)
    sw2 = np.asarray(sw2, dtype=np.float64)
    out = np.zeros_like(sw)
    ok = sw2 > 0
    out[ok] = sw[ok] ** 2 / sw2[ok]
    return out


def dirichlet_beta(m: Moments, confidence: float = c.CONFIDENCE, prior=c.PRIOR) -> Estimate:
    """Return the weighted mean and the Dirichlet-Beta interval of §4 for every group.

    Empty groups get NaN everywhere; any group with data gets a finite interval in [L, U].
    """
    prior = np.asarray(prior, dtype=np.float64)
    levels = np.asarray(c.LEVELS, dtype=np.float64)
    lo, hi = c.LOW, c.HIGH
    a0 = prior.sum()
    prior_s = float((prior * levels).sum())
    prior_s2 = float((prior * levels**2).sum())

    has = m.sw > 0
    sw = np.where(has, m.sw, 1.0)
    ybar = np.where(has, m.swy / sw, np.nan)
    ybar2 = np.where(has, m.swy2 / sw, np.nan)
    n_eff = kish_neff(m.sw, m.sw2)

    big_a = n_eff + a0
    mean = (n_eff * ybar + prior_s) / big_a
    m2 = (n_eff * ybar2 + prior_s2) / big_a
    var = np.maximum(m2 - mean**2, 0.0) / (big_a + 1.0)

    u = (mean - lo) / (hi - lo)
    v = var / (hi - lo) ** 2
    # v < u(1-u)/(A+1) for any distribution on [L, U], so kappa >= A > 0: no degenerate Beta.
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = u * (1.0 - u) / v - 1.0
    tail = (1.0 - confidence) / 2.0
    q = np.full((2, has.shape[0]), np.nan)
    a, b = u[has] * kappa[has], (1.0 - u[has]) * kappa[has]
    q[:, has] = stats.beta.ppf(np.array([[tail], [1.0 - tail]]), a[None, :], b[None, :])
    low = lo + (hi - lo) * q[0]
    high = lo + (hi - lo) * q[1]

    low = np.minimum(low, ybar)
    high = np.maximum(high, ybar)
    high = np.where(has & (m.n_high >= m.n), hi, high)
    low = np.where(has & (m.n_low >= m.n), lo, low)
    low = np.where(has, low, np.nan)
    high = np.where(has, high, np.nan)
    return Estimate(
        n=m.n,
        n_eff=n_eff,
        mean=ybar,
        posterior_mean=np.where(has, mean, np.nan),
        low=low,
        high=high,
        variance=np.where(has, var, np.nan),
        moments=m,
    )


def wilson_interval(p: np.ndarray, n: np.ndarray, confidence: float = c.CONFIDENCE):
    """Return the Wilson score interval (low, high) of a proportion p observed on n (may be fractional)."""
    p = np.asarray(p, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    z = stats.norm.isf((1.0 - confidence) / 2.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = 1.0 + z**2 / n
        centre = (p + z**2 / (2.0 * n)) / denom
        half = z / denom * np.sqrt(p * (1.0 - p) / n + z**2 / (4.0 * n**2))
    ok = n > 0
    return np.where(ok, centre - half, np.nan), np.where(ok, centre + half, np.nan)


def status(
    n: np.ndarray, n_eff: np.ndarray, min_respondents: int, limited_respondents: int, limited_neff: float
):
    """Return the status of each group: insufficient, limited or ok (§5)."""
    n = np.asarray(n)
    n_eff = np.asarray(n_eff)
    out = np.full(n.shape, c.STATUS_OK, dtype=object)
    out[(n < limited_respondents) | (n_eff < limited_neff)] = c.STATUS_LIMITED
    out[n < min_respondents] = c.STATUS_INSUFFICIENT
    return out
