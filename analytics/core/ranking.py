"""Empirical-Bayes shrinkage, rank intervals and campaign-to-campaign changes (§6)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from . import constants as c


@dataclass(frozen=True)
class Shrinkage:
    """Shrunk scores, one entry per product (NaN where not shrunk), and tau^2 per category."""

    shrunk: np.ndarray
    posterior_variance: np.ndarray
    tau2: np.ndarray  # per category, the value used (own or borrowed)
    borrowed: np.ndarray  # per category, True when tau^2 is the pooled one
    centre: np.ndarray  # per category, the precision-weighted mean m-hat


def shrink(
    score: np.ndarray,
    variance: np.ndarray,
    category: np.ndarray,
    n_categories: int,
    estimate_from: np.ndarray,
    apply_to: np.ndarray,
    min_own: int = c.MIN_RANKED_FOR_OWN_TAU,
) -> Shrinkage:
    """Shrink scores towards their category's mean (§6).

    tau^2 is the DerSimonian-Laird method-of-moments estimate over the products in `estimate_from`
    (the `ok` ones) of each category, floored at 0; a category with fewer than `min_own` of them
    borrows the tau^2 pooled over all categories (Q, degrees of freedom and scale summed). m-hat is
    the mean weighted by 1 / (v_j + tau^2). Products in `apply_to` are shrunk with
    theta_j = m-hat + (1 - B_j)(mu_j - m-hat), B_j = v_j / (v_j + tau^2), with posterior variance
    (1 - B_j) v_j, the one §6 publishes for the rank intervals.
    """
    est = estimate_from & np.isfinite(score) & (variance > 0)
    cat = category[est]
    y = score[est]
    prec = 1.0 / variance[est]
    k = np.bincount(cat, minlength=n_categories).astype(np.float64)
    s1 = np.bincount(cat, weights=prec, minlength=n_categories)
    s2 = np.bincount(cat, weights=prec**2, minlength=n_categories)
    sy = np.bincount(cat, weights=prec * y, minlength=n_categories)
    syy = np.bincount(cat, weights=prec * y * y, minlength=n_categories)
    has = k > 0
    s1_safe = np.where(has, s1, 1.0)
    q = np.where(has, syy - sy**2 / s1_safe, 0.0)
    df = np.where(has, k - 1.0, 0.0)
    scale = np.where(has, s1 - s2 / s1_safe, 0.0)
    own = np.divide(q - df, scale, out=np.zeros(n_categories), where=scale > 0)
    pooled = (q.sum() - df.sum()) / scale.sum() if scale.sum() > 0 else 0.0
    borrowed = k < min_own
    tau2 = np.maximum(np.where(borrowed, pooled, own), 0.0)

    inv = 1.0 / (variance[est] + tau2[cat])
    total_inv = np.bincount(cat, weights=inv, minlength=n_categories)
    centre = np.divide(
        np.bincount(cat, weights=inv * y, minlength=n_categories),
        total_inv,
        out=np.full(n_categories, np.nan),
        where=has,
    )

    go = apply_to & np.isfinite(score) & (variance > 0) & has[category]
    shrunk = np.full(score.shape, np.nan)
    post = np.full(score.shape, np.nan)
    t2 = tau2[category[go]]
    v = variance[go]
    b = v / (v + t2)
    m_hat = centre[category[go]]
    shrunk[go] = m_hat + (1.0 - b) * (score[go] - m_hat)
    post[go] = v * (1.0 - b)
    return Shrinkage(shrunk=shrunk, posterior_variance=post, tau2=tau2, borrowed=borrowed, centre=centre)


def blend(theta: np.ndarray, expert: np.ndarray | None, alpha: float) -> np.ndarray:
    """Return R = alpha*e + (1 - alpha)*theta where an expert score e exists, else theta (§6).

    `theta` may carry leading draw axes; `expert` is per product (last axis), NaN where none.
    """
    if expert is None:
        return theta
    return np.where(np.isfinite(expert), alpha * expert + (1.0 - alpha) * theta, theta)


@dataclass(frozen=True)
class Ranks:
    """Ranks within category (1 = best), their 95% interval, P(top 3) and the tie for first place."""

    rank: np.ndarray  # float with NaN for unranked products
    low: np.ndarray
    high: np.ndarray
    p_top: np.ndarray
    tied_first: np.ndarray  # bool


def rank_intervals(
    shrunk: np.ndarray,
    posterior_variance: np.ndarray,
    category_ids: np.ndarray,
    ranked: np.ndarray,
    draws: int = c.RANK_DRAWS,
    seed: int = c.SEED,
    top_k: int = c.TOP_K,
    *,
    expert: np.ndarray | None = None,
    alpha: float = c.ALPHA,
) -> Ranks:
    """Rank the `ranked` products by ranked score R within their category and simulate rank intervals.

    R blends the shrunk score with the product's expert score when it has one (`blend`), so a
    ranking orders the published global score's counterpart, not the doctors' score alone. Each
    category draws theta ~ N(shrunk, posterior variance) `draws` times from its own generator
    seeded with (seed, category id), so a category's intervals do not depend on the others, and
    blends every draw alike; products enter the draw in the order given (the caller passes them
    sorted by product id).
    """
    n = shrunk.shape[0]
    rank = np.full(n, np.nan)
    low = np.full(n, np.nan)
    high = np.full(n, np.nan)
    p_top = np.full(n, np.nan)
    tied = np.zeros(n, dtype=bool)
    ranked = ranked & np.isfinite(shrunk)
    for cat in np.unique(category_ids[ranked]):  # one draw matrix per category
        idx = np.flatnonzero(ranked & (category_ids == cat))
        theta = shrunk[idx]
        e = None if expert is None else expert[idx]
        sd = np.sqrt(np.maximum(posterior_variance[idx], 0.0))
        rng = np.random.default_rng([int(seed), int(cat)])
        k = idx.size
        sample = blend(theta[None, :] + sd[None, :] * rng.standard_normal((draws, k)), e, alpha)
        order = np.argsort(-sample, axis=1)
        ranks = np.empty((draws, k), dtype=np.int64)
        np.put_along_axis(ranks, order, np.arange(k)[None, :], axis=1)  # 0-based rank of each product
        # Histogram of each product's ranks, then the order statistics np.quantile would pick
        # ("lower" at 2.5%, "higher" at 97.5%) without sorting the draws.
        hist = np.bincount((np.arange(k)[None, :] * k + ranks).ravel(), minlength=k * k).reshape(k, k)
        cum = np.cumsum(hist, axis=1)
        lo_pos = np.floor(0.025 * (draws - 1)) + 1
        hi_pos = np.ceil(0.975 * (draws - 1)) + 1
        rank[idx] = stats.rankdata(-blend(theta, e, alpha), method="min")
        low[idx] = (cum < lo_pos).sum(axis=1) + 1
        high[idx] = (cum < hi_pos).sum(axis=1) + 1
        p_top[idx] = cum[:, min(top_k, k) - 1] / draws
        tied[idx] = low[idx] <= 1
    return Ranks(rank=rank, low=low, high=high, p_top=p_top, tied_first=tied)


@dataclass(frozen=True)
class Change:
    """Difference between two campaigns' scores with its normal interval."""

    difference: np.ndarray
    se: np.ndarray
    low: np.ndarray
    high: np.ndarray
    significant: np.ndarray


def campaign_change(before, var_before, after, var_after, confidence: float = c.CONFIDENCE) -> Change:
    """Return after - before with a normal interval from the two variances; significant iff it excludes 0."""
    before, var_before, after, var_after = (
        np.asarray(x, dtype=np.float64) for x in (before, var_before, after, var_after)
    )
    diff = after - before
    se = np.sqrt(var_before + var_after)
    z = stats.norm.isf((1.0 - confidence) / 2.0)
    low = diff - z * se
    high = diff + z * se
    significant = (low > 0) | (high < 0)
    return Change(difference=diff, se=se, low=low, high=high, significant=significant)
