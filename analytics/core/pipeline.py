"""`compute_scores`: from eligible responses to product, facet, vendor and distribution tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import constants as c
from . import situation
from .breakdowns import FacetCells, facet_estimates, recommend
from .columns import CATEGORY_COLUMNS, FACET_COLUMNS, PRODUCT_COLUMNS, VENDOR_COLUMNS
from .disclosure import disclose_distribution
from .estimates import status
from .group_estimates import GroupScores, estimate_groups, tally
from .params import Params
from .ranking import blend, rank_intervals, shrink
from .rows import Rows, dense_codes, select_rows
from .subgroups import subgroup_scores
from .vendors import vendor_cells
from .weighting_cells import build_cells
from .weights import weighting_labels


@dataclass(frozen=True)
class ScoreResult:
    """Tables of one scoring run; `compute_scores` documents their columns."""

    products: pd.DataFrame
    facets: pd.DataFrame
    vendors: pd.DataFrame
    distributions: pd.DataFrame
    categories: pd.DataFrame
    subgroups: pd.DataFrame
    flows: pd.DataFrame
    reference_date: pd.Timestamp


def compute_scores(
    responses: pd.DataFrame,
    facet_weights: pd.DataFrame | None = None,
    expert_scores: pd.Series | None = None,
    params: Params | None = None,
) -> ScoreResult:
    """Compute every published figure of METHODOLOGY §1-§7 (sensitivity) from eligible responses.

    `responses` follows the data contract (one row per doctor x product x campaign, eligibility
    already applied); `facet_weights` is indexed by category id (row "default" optional);
    `expert_scores` is indexed by product id. Every product seen in the responses (even with no
    response left to count) or with an expert score has a row. Where data are insufficient, scores
    are NaN, never a default. The tables' columns, in order, are those of `columns.py`:

    - products (index product_id): vendor_id, category_id, sample size and Kish n_effective, design_effect, the doctors'
      score with its interval and variance, status, balanced, weighting (the strata dimensions the
      weights used, joined by "+"; fewer than `margins` where raking could not reach them, §3),
      "would recommend" (0-100) and net_recommendation (-100..100), expert_score, the global
      score G with its interval, expert_only, shrunk_score (theta), ranked_score (R, the order of
      `rank`), rank with its interval, p_top3, tied_first, and the sensitivity to flagged responses;
    - facets (long): the same estimate per product x facet over the doctors who answered it;
    - vendors (index vendor_id): n_products and the doctors' score figures of a vendor;
    - distributions (long): share (weighted, 0-1) and count of answers per product x facet, by level
      (level_low == level_high) or merged group 1-2, 3, 4-5, for facets of at least
      `min_respondents` answers, never a level or group of 1 to 4 answers (§9);
    - categories (index category_id): how each category was ranked (tau^2, m-hat);
    - flows (long): previous_id (a product id, or OTHER_TOOL), product_id, doctors: §10's switching flows
      of at least 5 doctors, largest first;
    - subgroups (long): §10's estimate of every product within each level of the profile columns
      found (practice group, practice setting, region), global and per facet, n >= `min_respondents`.
    """
    params = params or Params()
    expert = (expert_scores if expert_scores is not None else pd.Series(dtype=np.float64)).dropna()
    rows = select_rows(responses, facet_weights, params)
    product_ids = np.union1d(rows.product_ids, np.asarray(expert.index, dtype=np.int64))
    n_products = len(product_ids)
    product = np.searchsorted(product_ids, rows.product_ids)[rows.product]

    cells = build_cells(
        product, n_products, rows.strata, rows.campaign, len(rows.campaign_recency), rows.flagged
    )
    recency = rows.campaign_recency[cells.campaign] if len(rows.campaign_recency) else np.ones(cells.n_cells)
    scores = tally(cells, rows.g)
    main = estimate_groups(cells, n_products, scores, recency, params)
    facets = facet_estimates(cells, rows.levels, main.weight, n_products, params.confidence)
    rec = recommend(cells, rows.recommend, main.weight, n_products, params.confidence)

    known = np.isin(product_ids, rows.product_ids)
    position = np.searchsorted(rows.product_ids, product_ids).clip(max=max(len(rows.product_ids) - 1, 0))
    meta = {
        "vendor_id": _nullable(rows.product_vendor, position, known),
        "category_id": _nullable(rows.product_category, position, known),
    }
    products = _product_table(pd.Index(product_ids, name="product_id"), meta, main, rec, rows.strata, params)
    _situation(products, rows, cells, main.weight, n_products, params.confidence)
    _blend_expert(products, expert.reindex(products.index).to_numpy(dtype=np.float64), params.alpha)
    categories = _rank(products, params)

    # Sensitivity (§7): the same estimate over the cells of unflagged responses.
    unflagged = estimate_groups(cells, n_products, scores.where(~cells.flag), recency, params)
    _sensitivity(
        products, unflagged, np.bincount(cells.group, weights=scores.count * cells.flag, minlength=n_products)
    )

    return ScoreResult(
        products=products[list(PRODUCT_COLUMNS)],
        facets=_facet_table(products.index, facets, params)[list(FACET_COLUMNS)],
        vendors=_vendor_table(rows, params)[list(VENDOR_COLUMNS)],
        distributions=_distribution_table(products.index, facets, params),
        categories=categories[list(CATEGORY_COLUMNS)],
        subgroups=subgroup_scores(rows, product, product_ids, params),
        flows=_flows(rows),
        reference_date=rows.reference_date,
    )


def _nullable(values: np.ndarray, position: np.ndarray, known: np.ndarray) -> pd.arrays.IntegerArray:
    """Return values[position] as a nullable integer array, <NA> where not `known`."""
    picked = values[position] if values.size else np.zeros(len(known), dtype=np.int64)
    out = pd.array(picked, dtype="Int64")
    out[~known] = pd.NA
    return out


def _situation(products, rows, cells, cell_weight, n_products, confidence):
    """§10: the weighted quartiles of the prices paid and the weighted shares, with the scores' weights."""
    weight, group = cell_weight[cells.code], cells.group[cells.code]
    answers = rows.situation
    prices = situation.price_quantiles(group, n_products, answers["price_paid"], weight)
    products["price_q1"], products["price_median"], products["price_q3"] = prices.q1, prices.median, prices.q3
    products["price_n"] = np.where(np.isnan(prices.median), np.nan, prices.n)
    months = answers["commitment_months"]
    long_commitment = np.where(np.isnan(months), np.nan, (months > c.LONG_COMMITMENT_MONTHS).astype(float))
    for name, yes in (
        ("price_increased", answers["price_increased"]),
        ("long_commitment", long_commitment),
        ("switch", answers["considering_switch"]),
    ):
        shares = situation.weighted_shares(group, n_products, yes, weight, confidence=confidence)
        products[f"{name}_pct"] = 100.0 * shares.share
        products[f"{name}_ci_low"] = 100.0 * shares.low
        products[f"{name}_ci_high"] = 100.0 * shares.high
        products[f"{name}_n"] = np.where(np.isnan(shares.share), np.nan, shares.n)


def _flows(rows: Rows) -> pd.DataFrame:
    """§10's switching flows: doctors per (previous tool, rated tool) pair, pairs of 5 doctors or more."""
    current = rows.product_ids[rows.product]
    previous = rows.situation["previous_tool"]
    flows = situation.switching_flows(np.where(previous == current, np.nan, previous), current)
    return pd.DataFrame(
        {
            "previous_id": flows["previous"].to_numpy(dtype=np.int64),
            "product_id": flows["current"].to_numpy(dtype=np.int64),
            "doctors": flows["doctors"].to_numpy(dtype=np.int64),
        }
    )


def _hide(values: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    return np.where(hidden, np.nan, values)


def _product_table(
    index: pd.Index, meta: dict, main: GroupScores, rec, strata: list, params: Params
) -> pd.DataFrame:
    est = main.estimate
    n = len(index)
    insufficient = main.status == c.STATUS_INSUFFICIENT
    rec_hidden = insufficient | (rec.n < params.min_respondents)
    return pd.DataFrame(
        {
            **meta,
            "n_respondents": est.n.astype(np.int64),
            "n_effective": est.n_eff,
            "design_effect": np.divide(est.n, est.n_eff, out=np.full(n, np.nan), where=est.n_eff > 0),
            "doctor_score": _hide(est.mean, insufficient),
            "doctor_ci_low": _hide(est.low, insufficient),
            "doctor_ci_high": _hide(est.high, insufficient),
            "doctor_variance": _hide(est.variance, insufficient),
            "status": pd.array(main.status, dtype="str"),
            "balanced": main.balanced,
            "weighting": weighting_labels(main.n_dims, [s.name for s in strata], est.n),
            "recommend_pct": _hide(100.0 * rec.share, rec_hidden),
            "recommend_ci_low": _hide(100.0 * rec.low, rec_hidden),
            "recommend_ci_high": _hide(100.0 * rec.high, rec_hidden),
            "net_recommendation": _hide(rec.net, rec_hidden),
            **_sums(est),
        },
        index=index,
    )


def _sums(est) -> dict:
    """The sufficient statistics of an estimate, as the columns SUFFICIENT_COLUMNS names."""
    m = est.moments
    return {"sum_w": m.sw, "sum_w2": m.sw2, "sum_wy": m.swy, "sum_wy2": m.swy2}


def _blend_expert(products: pd.DataFrame, e: np.ndarray, alpha: float) -> None:
    """G = alpha*e + (1-alpha)*mu, interval shifted alike; no usable sample: G = e, "expert review only" (§5)."""
    mu = products["doctor_score"].to_numpy()
    low = products["doctor_ci_low"].to_numpy()
    high = products["doctor_ci_high"].to_numpy()
    has_mu = np.isfinite(mu)
    both = has_mu & np.isfinite(e)
    products["expert_score"] = e
    products["global_score"] = np.where(both, alpha * e + (1 - alpha) * mu, np.where(has_mu, mu, e))
    products["global_ci_low"] = np.where(both, alpha * e + (1 - alpha) * low, low)
    products["global_ci_high"] = np.where(both, alpha * e + (1 - alpha) * high, high)
    products["expert_only"] = np.isfinite(e) & ~has_mu


def _rank(products: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Shrink the `ok` and `limited` doctor scores, blend them into R and rank the `ok` ones on R (§6).

    Return the category table: n_ranked, n_limited, tau2, tau2_borrowed, mean_score (m-hat).
    """
    category = products["category_id"]
    known = category.notna().to_numpy()
    category_ids = category.fillna(-1).to_numpy(dtype=np.int64)
    cat, cat_ids = dense_codes(category_ids)
    st = products["status"].to_numpy()
    ok = (st == c.STATUS_OK) & known
    shown = (ok | (st == c.STATUS_LIMITED)) & known
    sh = shrink(
        products["doctor_score"].to_numpy(dtype=np.float64),
        products["doctor_variance"].to_numpy(dtype=np.float64),
        cat,
        max(len(cat_ids), 1),
        ok,
        shown,
        params.min_ranked_for_own_tau,
    )
    expert = products["expert_score"].to_numpy(dtype=np.float64)
    ranks = rank_intervals(
        sh.shrunk,
        sh.posterior_variance,
        category_ids,
        ok,
        params.rank_draws,
        params.seed,
        expert=expert,
        alpha=params.alpha,
    )
    products["shrunk_score"] = sh.shrunk
    products["ranked_score"] = blend(sh.shrunk, expert, params.alpha)
    for name, values in (("rank", ranks.rank), ("rank_low", ranks.low), ("rank_high", ranks.high)):
        products[name] = pd.array(values, dtype="Float64").astype("Int64")
    products["p_top3"] = ranks.p_top
    products["tied_first"] = ranks.tied_first
    real = cat_ids >= 0
    return pd.DataFrame(
        {
            "n_ranked": np.bincount(cat[ok], minlength=len(cat_ids))[real],
            "n_limited": np.bincount(cat[shown & ~ok], minlength=len(cat_ids))[real],
            "tau2": sh.tau2[: len(cat_ids)][real],
            "tau2_borrowed": sh.borrowed[: len(cat_ids)][real],
            "mean_score": sh.centre[: len(cat_ids)][real],
        },
        index=pd.Index(cat_ids[real], name="category_id"),
    )


def _sensitivity(products: pd.DataFrame, unflagged: GroupScores, n_flagged: np.ndarray) -> None:
    """Doctor score without flagged responses; escalate when it moves by more than the interval's half-width."""
    score = products["doctor_score"].to_numpy(dtype=np.float64)
    touched = n_flagged > 0
    without = np.where(
        touched, _hide(unflagged.estimate.mean, unflagged.status == c.STATUS_INSUFFICIENT), score
    )
    half = (products["doctor_ci_high"].to_numpy() - products["doctor_ci_low"].to_numpy()) / 2.0
    with np.errstate(invalid="ignore"):
        moved = np.abs(without - score) > half
    products["n_flagged"] = n_flagged.astype(np.int64)
    products["score_without_flagged"] = without
    # Losing the score altogether (too few responses left) is escalated too.
    products["escalate"] = touched & np.isfinite(score) & (~np.isfinite(without) | moved)


def _facet_table(product_ids: pd.Index, facets: FacetCells, params: Params) -> pd.DataFrame:
    n_facets = len(c.FACETS)
    est = facets.estimate
    st = status(est.n, est.n_eff, params.min_respondents, params.limited_respondents, params.limited_neff)
    hidden = st == c.STATUS_INSUFFICIENT
    table = pd.DataFrame(
        {
            "product_id": np.repeat(product_ids.to_numpy(dtype=np.int64), n_facets),
            "facet": np.tile(np.array(c.FACETS, dtype=object), len(product_ids)),
            "score": _hide(est.mean, hidden),
            "ci_low": _hide(est.low, hidden),
            "ci_high": _hide(est.high, hidden),
            "variance": _hide(est.variance, hidden),
            "n": est.n.astype(np.int64),
            "n_effective": est.n_eff,
            "status": st.astype(str),
            **_sums(est),
        }
    )
    # Products without any counted response (expert review only, or only old campaigns) have no facet rows.
    has_rows = np.repeat(facets.counts.sum(axis=(1, 2)) > 0, n_facets)
    return table.loc[has_rows].reset_index(drop=True)


def _distribution_table(product_ids: pd.Index, facets: FacetCells, params: Params) -> pd.DataFrame:
    """Answer shares per product x facet, by level or merged group, only where §9 lets them be shown.

    A facet answered by fewer than `min_respondents` doctors has no distribution, as it has no
    score; no level or group shown describes 1 to 4 doctors (`disclose_distribution`).
    """
    counts = facets.counts
    n_products, n_facets, n_levels = counts.shape
    answered = counts.sum(axis=2, keepdims=True) >= params.min_respondents
    minimum = max(c.DISCLOSURE_MIN_COUNT, params.min_respondents)
    shown = disclose_distribution(
        np.where(answered, counts, 0.0).reshape(-1, n_levels),
        facets.weight.reshape(-1, n_levels),
        min_count=minimum,
    )
    cell = shown.pop("cell").to_numpy()
    product, facet = np.divmod(cell, n_facets)
    shown.insert(0, "facet", np.array(c.FACETS, dtype=object)[facet])
    shown.insert(0, "product_id", product_ids.to_numpy(dtype=np.int64)[product])
    return shown


def _vendor_table(rows: Rows, params: Params) -> pd.DataFrame:
    if len(rows) == 0:
        return pd.DataFrame(
            columns=list(VENDOR_COLUMNS), index=pd.Index([], name="vendor_id", dtype=np.int64)
        )
    vendor_ids, cells, scores, recency = vendor_cells(rows)
    n_vendors = len(vendor_ids)
    res = estimate_groups(cells, n_vendors, scores, recency, params)
    est = res.estimate
    hidden = res.status == c.STATUS_INSUFFICIENT
    rated = np.flatnonzero(np.bincount(rows.product, minlength=len(rows.product_ids)))
    n_products = np.bincount(
        np.searchsorted(vendor_ids, rows.product_vendor[rated]), minlength=n_vendors
    ).astype(np.int64)
    return pd.DataFrame(
        {
            "n_products": n_products,
            "n_respondents": est.n.astype(np.int64),
            "n_effective": est.n_eff,
            "design_effect": np.divide(est.n, est.n_eff, out=np.full(n_vendors, np.nan), where=est.n_eff > 0),
            "doctor_score": _hide(est.mean, hidden),
            "doctor_ci_low": _hide(est.low, hidden),
            "doctor_ci_high": _hide(est.high, hidden),
            "doctor_variance": _hide(est.variance, hidden),
            "status": pd.array(res.status, dtype="str"),
            "balanced": res.balanced,
            "weighting": weighting_labels(res.n_dims, [s.name for s in rows.strata], est.n),
        },
        index=pd.Index(vendor_ids, name="vendor_id"),
    )
