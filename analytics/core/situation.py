"""What doctors pay, their contracts and their moves between tools (METHODOLOGY.md §10), per group.

Pure functions over integer group codes (a product, or a product × subgroup) and the responses' weights
(the same weights as the scores, §3), vectorised like the rest of the core: no loop per group.
- `weighted_quantiles`: the weighted median and quartiles of the prices paid. With whole-number weights
  they are the quantiles of the sample in which each answer is repeated as many times as its weight
  ("averaged inverted CDF", numpy's `averaged_inverted_cdf`): where the cumulative weight lands exactly on
  the quantile, the two values on either side are averaged, as the usual median of an even count is.
- `weighted_shares`: the weighted share of "yes" with the Wilson interval of §4 on Kish's effective size.
- `price_outliers`: answers above 20 × their category's median, flagged for a person, never dropped.
- `switching_flows`: previous → current tool counts, pairs of fewer than 5 doctors left out.
Each result carries the number of answers it rests on; below the thresholds of §10 (10 answers for a
price or a share) the figures are NaN, so that nothing smaller can be shown or exported by mistake.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from . import constants as c
from .estimates import kish_neff, wilson_interval

MIN_ANSWERS = 10  # §10: a price or a share is shown from 10 answers (a price is identifying)
MIN_FLOW = 5  # §10: a switching flow is shown from 5 doctors
OUTLIER_FACTOR = 20.0  # §10: a price above 20 × its category's median is flagged for a person
QUARTILES = (0.25, 0.5, 0.75)


@dataclasses.dataclass(frozen=True)
class Quantiles:
    q1: np.ndarray
    median: np.ndarray
    q3: np.ndarray
    n: np.ndarray  # answers per group


@dataclasses.dataclass(frozen=True)
class Shares:
    share: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: np.ndarray  # answers per group
    n_effective: np.ndarray


def _answered(codes, values, weights):
    codes = np.asarray(codes, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    keep = ~np.isnan(values) & (weights > 0) & (codes >= 0)
    return codes[keep], values[keep], weights[keep]


def weighted_quantiles(codes, n_groups, values, weights, probs=QUARTILES, *, min_answers=MIN_ANSWERS):
    """Return (n_groups × len(probs)) weighted quantiles and the answers per group (NaN under `min_answers`)."""
    codes, values, weights = _answered(codes, values, weights)
    n = np.bincount(codes, minlength=n_groups)
    out = np.full((n_groups, len(probs)), np.nan)
    if codes.size == 0:
        return out, n
    order = np.lexsort((values, codes))
    codes, values, weights = codes[order], values[order], weights[order]
    cumulative = np.cumsum(weights)
    totals = np.bincount(codes, weights=weights, minlength=n_groups)
    ends = np.cumsum(n)  # one past each group's last answer, in the sorted arrays
    starts = ends - n
    before = np.concatenate(([0.0], cumulative))[starts]  # cumulative weight before each group
    present = np.flatnonzero(n > 0)
    for j, p in enumerate(probs):
        target = before[present] + p * totals[present]
        tolerance = 1e-12 * np.maximum(cumulative[ends[present] - 1], 1.0)
        index = np.searchsorted(cumulative, target - tolerance, side="left")
        index = np.minimum(index, ends[present] - 1)
        value = values[index]
        exact = np.abs(cumulative[index] - target) <= tolerance
        following = np.minimum(index + 1, ends[present] - 1)
        value = np.where(exact & (index + 1 < ends[present]), (value + values[following]) / 2.0, value)
        out[present, j] = value
    out[n < min_answers] = np.nan
    return out, n


def price_quantiles(codes, n_groups, prices, weights, *, min_answers=MIN_ANSWERS) -> Quantiles:
    """The weighted first quartile, median and third quartile of the prices paid, per group."""
    table, n = weighted_quantiles(codes, n_groups, prices, weights, QUARTILES, min_answers=min_answers)
    return Quantiles(q1=table[:, 0], median=table[:, 1], q3=table[:, 2], n=n)


def weighted_shares(codes, n_groups, answers, weights, *, confidence=c.CONFIDENCE, min_answers=MIN_ANSWERS):
    """The weighted share of yes (1) among the answers (1 or 0; NaN = not answered), per group, with the
    Wilson interval on Kish's effective size."""
    codes, answers, weights = _answered(codes, answers, weights)
    n = np.bincount(codes, minlength=n_groups)
    sw = np.bincount(codes, weights=weights, minlength=n_groups)
    sw2 = np.bincount(codes, weights=weights**2, minlength=n_groups)
    yes = np.bincount(codes, weights=weights * answers, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(sw > 0, yes / sw, np.nan)
    n_effective = kish_neff(sw, sw2)
    low, high = wilson_interval(share, n_effective, confidence)
    hidden = n < min_answers
    share, low, high = (np.where(hidden, np.nan, a) for a in (share, low, high))
    return Shares(share=share, low=low, high=high, n=n, n_effective=np.where(hidden, np.nan, n_effective))


def price_outliers(category_codes, prices, *, factor=OUTLIER_FACTOR):
    """True for each price above `factor` × its category's (unweighted) median; never drops anything."""
    frame = pd.DataFrame({"category": np.asarray(category_codes), "price": np.asarray(prices, dtype=float)})
    median = frame.groupby("category")["price"].transform("median")
    return (frame["price"] > factor * median).to_numpy()


def switching_flows(previous, current, *, min_doctors=MIN_FLOW):
    """Return the (previous, current, doctors) pairs with at least `min_doctors` doctors, largest first.

    `previous` and `current` are tool ids per response (previous NaN/None when the doctor did not change);
    a doctor who rated the same tool twice counts once per response: pass one response per doctor × tool.
    """
    frame = pd.DataFrame({"previous": previous, "current": current}).dropna()
    counts = frame.groupby(["previous", "current"]).size().rename("doctors").reset_index()
    counts = counts[counts["doctors"] >= min_doctors]
    return counts.sort_values(["doctors", "previous", "current"], ascending=[False, True, True]).reset_index(
        drop=True
    )
