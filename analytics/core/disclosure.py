"""Which answer distributions may be shown (§9): every level, three merged groups, or nothing.

A level answered by 1 to 4 doctors is never shown on its own. When some level is, the levels are
merged into three groups (facets: 1-2 "poor", 3, 4-5 "good"; "would recommend": 0-6, 7-8,
9-10); when a non-empty group still holds fewer than `min_count` answers, the distribution is not
shown at all, only the score. The choice is made per distribution (one product x facet), so a
distribution is either all its levels or all its groups, never a mix. Empty levels or groups are
shown (a share of 0): they describe nobody.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import constants as c

FACET_BANDS = ((1, 2), (3, 3), (4, 5))
RECOMMEND_LEVELS = tuple(range(11))
RECOMMEND_BANDS = ((0, c.DETRACTOR_MAX), (c.DETRACTOR_MAX + 1, c.PROMOTER_MIN - 1), (c.PROMOTER_MIN, 10))

# How a distribution is shown.
HIDDEN, LEVELS, BANDS = 0, 1, 2

COLUMNS = ["cell", "level_low", "level_high", "share", "count"]


def _membership(levels, bands) -> np.ndarray:
    """Return the (levels, bands) 0/1 matrix of which band holds which level; bands must cover every level once."""
    levels = np.asarray(levels)
    member = np.array([[low <= level <= high for low, high in bands] for level in levels], dtype=np.float64)
    if not (member.sum(axis=1) == 1).all():
        raise ValueError("the bands must hold every level exactly once")
    return member


def _safe(counts: np.ndarray, min_count: int) -> np.ndarray:
    return ((counts == 0) | (counts >= min_count)).all(axis=1)


def disclosure_mode(
    counts, levels=c.LEVELS, bands=FACET_BANDS, min_count=c.DISCLOSURE_MIN_COUNT
) -> np.ndarray:
    """Return HIDDEN, LEVELS or BANDS for each row of `counts` (answers per level, one row per distribution)."""
    counts = np.asarray(counts, dtype=np.float64).reshape(-1, len(levels))
    answered = counts.sum(axis=1) > 0
    band_counts = counts @ _membership(levels, bands)
    by_level = answered & _safe(counts, min_count)
    by_band = answered & ~by_level & _safe(band_counts, min_count)
    return np.where(by_level, LEVELS, np.where(by_band, BANDS, HIDDEN))


def disclose_distribution(
    counts, weights=None, levels=c.LEVELS, bands=FACET_BANDS, min_count=c.DISCLOSURE_MIN_COUNT
) -> pd.DataFrame:
    """Return the shown part of each distribution as long rows: cell, level_low, level_high, share, count.

    `counts` (distributions x levels) holds the raw number of answers at each level and `weights`
    the sums of their weights (the counts when None); `cell` is the row of `counts` a band comes
    from; `share` is the band's weighted share (0-1) of its distribution. A merged group has
    level_low < level_high; a level shown on its own has level_low == level_high. Rows come
    sorted by cell, then level.
    """
    counts = np.asarray(counts, dtype=np.float64).reshape(-1, len(levels))
    weights = counts if weights is None else np.asarray(weights, dtype=np.float64).reshape(counts.shape)
    member = _membership(levels, bands)
    mode = disclosure_mode(counts, levels, bands, min_count)
    total = weights.sum(axis=1, keepdims=True)
    safe_total = np.where(total > 0, total, 1.0)
    parts = []
    for shown, per_level, weight, lows, highs in (
        (LEVELS, counts, weights, np.asarray(levels), np.asarray(levels)),
        (BANDS, counts @ member, weights @ member, *np.asarray(bands).T),
    ):
        cell = np.flatnonzero(mode == shown)
        k = len(lows)
        parts.append(
            pd.DataFrame(
                {
                    "cell": np.repeat(cell, k),
                    "level_low": np.tile(lows, cell.size).astype(np.int64),
                    "level_high": np.tile(highs, cell.size).astype(np.int64),
                    "share": (weight[cell] / safe_total[cell]).ravel(),
                    "count": per_level[cell].ravel().astype(np.int64),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["cell", "level_low"], kind="stable").reset_index(drop=True)[COLUMNS]


def disclose_recommendation(counts, weights=None, min_count=c.DISCLOSURE_MIN_COUNT) -> pd.DataFrame:
    """Return the shown part of "would recommend" distributions (answers 0-10): levels or 0-6 / 7-8 / 9-10."""
    return disclose_distribution(counts, weights, RECOMMEND_LEVELS, RECOMMEND_BANDS, min_count)
