"""Which answers count (§1) and a doctor's global score g (§2), as pure functions on frames.

`select_rows` turns the responses frame into plain numpy columns once; everything downstream
works on integer codes and arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import constants as c

NS_PER_DAY = 86_400 * 10**9


def dense_codes(values: np.ndarray, *, sort: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Return (codes, unique values) of an integer array, like `pd.factorize`.

    The uniques come sorted from the lookup-table path (small id range), and from hashing only when
    `sort` is true.
    """
    values = np.asarray(values, dtype=np.int64)
    if values.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lo, hi = int(values.min()), int(values.max())
    if hi - lo <= 8 * values.size + 1024:  # small id range: a lookup table beats hashing
        present = np.bincount(values - lo, minlength=hi - lo + 1) > 0
        lookup = np.cumsum(present) - 1
        return lookup[values - lo], np.flatnonzero(present) + lo
    codes, uniques = pd.factorize(values, sort=sort)
    return codes.astype(np.int64), np.asarray(uniques, dtype=np.int64)


def as_ns(values: pd.Series) -> np.ndarray:
    """Return UTC nanoseconds since the epoch of a datetime column (naive values are taken as UTC)."""
    return values.to_numpy(dtype="datetime64[ns]").view(np.int64)


def resolve_reference_date(responses: pd.DataFrame, reference_date: pd.Timestamp | None) -> pd.Timestamp:
    """Return the reference date in UTC: the one given, else the latest campaign end (NaT if none)."""
    ts = pd.Timestamp(responses["campaign_end"].max() if reference_date is None else reference_date)
    if ts is pd.NaT:
        return ts
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def window_mask(end_ns: np.ndarray, reference_date: pd.Timestamp, max_age_months: int) -> np.ndarray:
    """True for campaigns ended within `max_age_months` calendar months up to the reference date.

    Campaigns ending after the reference date are out too: a score as of a past campaign does not
    see later ones.
    """
    if reference_date is pd.NaT:
        return np.zeros(end_ns.shape, dtype=bool)
    oldest = (reference_date - pd.DateOffset(months=max_age_months)).value
    return (end_ns >= oldest) & (end_ns <= reference_date.value)


def doctor_vendor_units(
    doctor_id: np.ndarray, vendor: np.ndarray, n_vendors: int, rows: np.ndarray
) -> np.ndarray:
    """Number the doctor x vendor pairs of the given rows (-1 elsewhere): the unit of a vendor score."""
    doctor, _ = dense_codes(doctor_id[rows], sort=False)
    unit = np.full(doctor_id.shape[0], -1, dtype=np.int64)
    unit[rows] = dense_codes(doctor * max(n_vendors, 1) + vendor[rows], sort=False)[0]
    return unit


def rank_within(parent: np.ndarray) -> np.ndarray:
    """Return each item's position among the items of the same parent (items in index order)."""
    order = np.lexsort((np.arange(parent.size), parent))
    first = np.r_[True, parent[order][1:] != parent[order][:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(parent.size), 0))
    out = np.empty(parent.size, dtype=np.int64)
    out[order] = np.arange(parent.size) - start
    return out


def latest_mask(eligible, rows, pair, end_ns, submitted_ns, campaign_id) -> np.ndarray:
    """True for the one response per doctor x product that counts: the one of the most recent campaign.

    `rows` are the eligible rows that may clash (every other eligible row is kept) and `pair`
    numbers their doctor x product pairs. Ties on the campaign end are broken by `submitted_at`,
    then `campaign_id`, so the choice does not depend on the row order.
    """
    keep = eligible.copy()
    dup = pd.Series(pair).duplicated(keep=False).to_numpy()
    if dup.any():
        clash, key = rows[dup], pair[dup]
        order = np.lexsort((campaign_id[clash], submitted_ns[clash], end_ns[clash], key))
        ordered_keys = key[order]
        last = np.r_[ordered_keys[1:] != ordered_keys[:-1], True]
        keep[clash] = False
        keep[clash[order[last]]] = True
    return keep


def category_weight_matrix(facet_weights: pd.DataFrame | None, category_ids: np.ndarray) -> np.ndarray:
    """Return the (k, 8) facet weights of each category in `category_ids`.

    A category without its own row takes the row labelled `DEFAULT_WEIGHTS_ROW`, else equal weights.
    """
    k = len(category_ids)
    if facet_weights is None or facet_weights.empty:
        return np.ones((k, len(c.FACETS)))
    missing = [f for f in c.FACETS if f not in facet_weights.columns]
    if missing:
        raise ValueError(f"facet_weights lack columns {missing}")
    table = facet_weights[list(c.FACETS)].astype(np.float64)
    if (table.to_numpy() < 0).any() or (table.sum(axis=1) <= 0).any():
        raise ValueError("facet weights must be non-negative with a positive sum per row")
    default = (
        table.loc[c.DEFAULT_WEIGHTS_ROW].to_numpy()
        if c.DEFAULT_WEIGHTS_ROW in table.index
        else np.ones(len(c.FACETS))
    )
    lookup = {
        int(k): row
        for k, row in zip(table.index, table.to_numpy(), strict=True)
        if k != c.DEFAULT_WEIGHTS_ROW
    }
    return np.array([lookup.get(int(cat), default) for cat in category_ids]).reshape(k, len(c.FACETS))


def facet_levels(responses: pd.DataFrame) -> np.ndarray:
    """Return the (8, n) int8 facet answers, facet by facet, 0 for "not applicable".

    Anything but 1..5 or NaN is rejected.
    """
    missing = [f for f in c.FACETS if f not in responses.columns]
    if missing:
        raise ValueError(f"responses lack facet columns {missing}")
    out = np.empty((len(c.FACETS), len(responses)), dtype=np.int8)
    for f, name in enumerate(c.FACETS):
        a = responses[name].to_numpy(dtype=np.float64)
        level = np.where(np.isnan(a), 0.0, a)
        out[f] = level
        # In range once NaN is set aside (fmin/fmax skip it), and nothing lost by the cast: only
        # the levels 1..5 pass. A column of NaN only is fine.
        low, high = (np.fmin.reduce(a), np.fmax.reduce(a)) if a.size else (np.nan, np.nan)
        if not np.isnan(low) and not (low >= c.LOW and high <= c.HIGH and out[f].sum() == level.sum()):
            raise ValueError(f"facet {name}: answers must be 1..5 or NaN")
    return out


def global_scores(levels: np.ndarray, weights: np.ndarray, codes: np.ndarray | None = None) -> np.ndarray:
    """Return g = sum(w_f a_f) / sum(w_f) over the answered facets, NaN when none counts (§2).

    `levels` is (8, n) with answers 1..5 and 0 for "not applicable"; `weights` is one row of facet
    weights (8,), or one row per category (k, 8) with `codes` giving each response's row.
    """
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim == 2 and len(weights) and (weights == weights[0]).all():
        weights, codes = weights[0], None  # one set of weights for everyone: no gather needed
    if weights.ndim == 1 and (weights == weights[0]).all():
        num = levels.sum(axis=0, dtype=np.float64)
        den = np.count_nonzero(levels, axis=0).astype(np.float64)
    else:
        num = np.zeros(levels.shape[1])
        den = np.zeros(levels.shape[1])
        for f in range(levels.shape[0]):
            wf = weights[f] if codes is None else weights[codes, f]
            num += wf * levels[f]
            den += wf * (levels[f] > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = num / den
    g[den <= 0] = np.nan
    return g


@dataclass(frozen=True)
class Stratum:
    """One strata dimension: each row's level code (-1 when missing or unknown) and the population shares."""

    name: str
    codes: np.ndarray
    shares: np.ndarray

    def take(self, rows) -> Stratum:
        return Stratum(self.name, self.codes[rows], self.shares)


def level_codes(values: pd.Series, names: list[str]) -> np.ndarray:
    """Return the position of each value among `names`, -1 when missing or not listed."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values)
    position = {name: i for i, name in enumerate(names)}
    lookup = np.array([position.get(str(u), -1) for u in uniques] + [-1], dtype=np.int64)
    return lookup[codes]  # code -1 (missing) reads the trailing -1


def strata_from_frame(frame: pd.DataFrame, margins: Mapping[str, Mapping[str, float]]) -> list[Stratum]:
    """Return the strata dimensions of `margins`, coded on the rows of `frame`.

    A row whose value is missing or not among the margins' levels gets code -1: it keeps its weight
    for that dimension (it is neither a member of a level nor counted in a level's share).
    """
    out = []
    for dim, levels in margins.items():
        if dim not in frame.columns:
            raise ValueError(f"responses lack the strata column {dim!r}")
        counts = np.array([float(v) for v in levels.values()])
        out.append(Stratum(dim, level_codes(frame[dim], [str(k) for k in levels]), counts / counts.sum()))
    return out


@dataclass(frozen=True)
class Profile:
    """A profile dimension of §10's subgroups: each row's level code (-1 when not known) and level names."""

    name: str
    codes: np.ndarray
    levels: np.ndarray

    def take(self, rows) -> Profile:
        return Profile(self.name, self.codes[rows], self.levels)


def profile_from_column(name: str, values: pd.Series) -> Profile:
    """Code a profile column; missing and empty values are "not known" (-1); levels sorted."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
        values = values.mask(values.isna() | (values == "")).astype("category")
    elif "" in values.cat.categories:
        values = values.cat.remove_categories([""])
    values = values.cat.reorder_categories(sorted(values.cat.categories))
    return Profile(
        name, values.cat.codes.to_numpy().astype(np.int64), np.asarray(values.cat.categories, dtype=object)
    )


@dataclass(frozen=True)
class Rows:
    """The responses that count, as columns; `product` indexes `product_ids` (every product seen)."""

    product_ids: np.ndarray
    product_vendor: np.ndarray
    product_category: np.ndarray
    product: np.ndarray
    vendor_ids: np.ndarray
    vendor: np.ndarray  # code into vendor_ids
    unit: np.ndarray  # doctor x vendor pair, numbered 0..units-1
    campaign: np.ndarray  # code into campaign_recency
    campaign_recency: np.ndarray
    levels: np.ndarray
    g: np.ndarray
    recommend: np.ndarray
    flagged: np.ndarray
    strata: list[Stratum]
    profiles: list[Profile]  # §10's subgroup dimensions found in the frame
    # §10's optional answers (NaN where not answered, or where the frame has no such column).
    situation: dict
    reference_date: pd.Timestamp

    def __len__(self) -> int:
        return self.product.shape[0]


def select_rows(responses: pd.DataFrame, facet_weights: pd.DataFrame | None, params) -> Rows:
    """Apply §1 (window, one response per doctor x product) and §2 (g, drop rows with no facet answered)."""
    ref = resolve_reference_date(responses, params.reference_date)
    col = {
        name: responses[name].to_numpy() for name in ("doctor_id", "product_id", "campaign_id", "vendor_id")
    }
    category = responses["category_id"].to_numpy()
    end_ns = as_ns(responses["campaign_end"])
    product, product_ids = dense_codes(col["product_id"])
    product_vendor = np.zeros(len(product_ids), dtype=np.int64)
    product_vendor[product] = col["vendor_id"]
    product_category = np.zeros(len(product_ids), dtype=np.int64)
    product_category[product] = category

    keep = window_mask(end_ns, ref, params.max_age_months)
    eligible = np.flatnonzero(keep)
    vendor, vendor_ids = dense_codes(col["vendor_id"])
    unit = doctor_vendor_units(col["doctor_id"], vendor, len(vendor_ids), eligible)
    campaigns = col["campaign_id"][eligible]
    if campaigns.size and campaigns.min() != campaigns.max():
        # Within one campaign a doctor answers a product once (data contract): clashes need several.
        keep = _one_per_doctor_and_product(keep, eligible, unit, product, product_vendor, end_ns, responses)
    levels = facet_levels(responses)
    cat_codes, cat_ids = dense_codes(category)
    g = global_scores(levels, category_weight_matrix(facet_weights, cat_ids), cat_codes)
    keep &= np.isfinite(g)
    rows = None if keep.all() else np.flatnonzero(keep)

    def take(a):
        return a if rows is None else a[rows]

    campaign, campaign_ids = dense_codes(take(col["campaign_id"]))
    end = take(end_ns)
    campaign_end = np.full(len(campaign_ids), np.iinfo(np.int64).min)
    np.maximum.at(campaign_end, campaign, end)
    flagged = (
        responses["flagged"].to_numpy(dtype=bool)
        if "flagged" in responses.columns
        else np.zeros(len(g), bool)
    )
    return Rows(
        product_ids=product_ids,
        product_vendor=product_vendor,
        product_category=product_category,
        product=take(product),
        vendor_ids=vendor_ids,
        vendor=take(vendor),
        unit=unit if rows is None else dense_codes(unit[rows], sort=False)[0],
        campaign=campaign,
        campaign_recency=recency_weight(campaign_end, ref, params.half_life_months),
        levels=levels if rows is None else levels[:, rows],
        g=take(g),
        recommend=take(responses["recommend"].to_numpy(dtype=np.float64)),
        flagged=take(flagged),
        situation={
            name: take(
                responses[name].to_numpy(dtype=np.float64)
                if name in responses.columns
                else np.full(len(g), np.nan)
            )
            for name in c.SITUATION_COLUMNS
        },
        strata=[
            s.take(rows) if rows is not None else s for s in strata_from_frame(responses, params.margins)
        ],
        profiles=[
            profile if rows is None else profile.take(rows)
            for profile in (
                profile_from_column(name, responses[name])
                for name in c.PROFILE_DIMENSIONS
                if name in responses.columns
            )
        ],
        reference_date=ref,
    )


def _one_per_doctor_and_product(keep, eligible, unit, product, product_vendor, end_ns, responses):
    """Return `keep` with only the latest response of each doctor x product left (see `latest_mask`).

    A doctor rating a single product of a vendor cannot clash, so only the rows of multi-product
    doctor x vendor units compete; their doctor x product pair is the unit and the product's rank
    among the vendor's products, which numbers the pairs without hashing doctor ids again.
    """
    per_unit = np.bincount(unit[eligible])
    rows = eligible[per_unit[unit[eligible]] > 1]
    product_rank = rank_within(dense_codes(product_vendor)[0])
    pair = unit[rows] * (int(product_rank.max(initial=0)) + 1) + product_rank[product[rows]]
    submitted_ns = as_ns(responses["submitted_at"])
    return latest_mask(keep, rows, pair, end_ns, submitted_ns, responses["campaign_id"].to_numpy())


def recency_weight(end_ns: np.ndarray, reference_date: pd.Timestamp, half_life_months: float) -> np.ndarray:
    """Return 0.5 ** (age / half-life), age = months from the campaign's end to the reference date."""
    if reference_date is pd.NaT or end_ns.size == 0:
        return np.ones(end_ns.shape)
    days = (reference_date.value - end_ns) / NS_PER_DAY
    return np.power(0.5, np.maximum(days, 0.0) / c.DAYS_PER_MONTH / half_life_months)
