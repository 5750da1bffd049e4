"""A deliberately naive reference: the product estimates done per product with `groupby().apply`.

This is how an analyst would first write §1-§4 in pandas, one product at a time. It serves only as
the benchmark's baseline (METHODOLOGY §8: the vectorised core must be at least 20x faster) and as
an independent cross-check of `compute_scores` in the tests. Do not use it in production.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy import stats

from analytics.core import constants as c
from analytics.core.params import Params


def _dirichlet_beta(y: pd.Series, w: pd.Series, confidence: float) -> dict:
    """Weighted mean and Dirichlet-Beta interval of one sample, straight from §4."""
    prior = pd.Series(c.PRIOR, index=c.LEVELS)
    levels = pd.Series(c.LEVELS, index=c.LEVELS, dtype=float)
    n_eff = w.sum() ** 2 / (w**2).sum()
    ybar = (w * y).sum() / w.sum()
    ybar2 = (w * y**2).sum() / w.sum()
    big_a = n_eff + prior.sum()
    m = (n_eff * ybar + (prior * levels).sum()) / big_a
    m2 = (n_eff * ybar2 + (prior * levels**2).sum()) / big_a
    var = max(m2 - m**2, 0.0) / (big_a + 1)
    u = (m - c.LOW) / (c.HIGH - c.LOW)
    v = var / (c.HIGH - c.LOW) ** 2
    kappa = u * (1 - u) / v - 1
    tail = (1 - confidence) / 2
    q_low, q_high = stats.beta.ppf([tail, 1 - tail], u * kappa, (1 - u) * kappa)
    low = min(c.LOW + (c.HIGH - c.LOW) * q_low, ybar)
    high = max(c.LOW + (c.HIGH - c.LOW) * q_high, ybar)
    if (y >= c.HIGH).all():
        high = c.HIGH
    if (y <= c.LOW).all():
        low = c.LOW
    return {"n": len(y), "n_effective": n_eff, "score": ybar, "ci_low": low, "ci_high": high, "variance": var}


def _rake(df: pd.DataFrame, params: Params, dims: list[str]) -> tuple[pd.Series, float]:
    """Rake one product on `dims`; return its weights and the largest margin share off its target."""
    w = pd.Series(1.0, index=df.index)
    targets = {}
    for dim in dims:
        shares = pd.Series(params.margins[dim], dtype=float)
        shares.index = shares.index.astype(str)
        shares = shares / shares.sum()
        values = df[dim].astype(object)
        values = values.where(values.isin(list(shares.index)))
        present = shares[shares.index.isin(values.dropna().unique())]
        targets[dim] = (values, present / present.sum() if present.sum() > 0 else present)
    for _ in range(params.raking_max_iter):
        worst = 0.0
        for values, share in targets.values():
            known = values.notna()
            by_level = w[known].groupby(values[known]).sum()
            factor = (share * w[known].sum() / by_level).fillna(1.0)
            worst = max(worst, (factor - 1).abs().max() if len(factor) else 0.0)
            w[known] = w[known] * values[known].map(factor)
        if len(targets) <= 1 or worst < params.raking_tol:
            break
    gap = 0.0
    for values, share in targets.values():
        known = values.notna()
        if known.any():
            by_level = w[known].groupby(values[known]).sum()
            gap = max(gap, (by_level / by_level.sum() - share).abs().max())
    return w, gap


def _population_weights(df: pd.DataFrame, params: Params) -> pd.Series:
    """Raking (post-stratification for one dimension), dropping the last dimension while the
    margins are not met (§3), then trimming, for one product."""
    dims = list(params.margins)
    w, gap = _rake(df, params, dims)
    while len(dims) > 1 and gap > params.raking_margin_tol:
        dims = dims[:-1]
        w, gap = _rake(df, params, dims)
    w = w * len(w) / w.sum()
    if (w > params.trim_factor * (1 + 1e-12)).any():
        for _ in range(c.TRIM_MAX_ROUNDS):
            w = w.clip(upper=params.trim_factor)
            w = w * len(w) / w.sum()
            if not (w > params.trim_factor * (1 + 1e-9)).any():
                break
    return w


def _prepare(responses: pd.DataFrame, facet_weights: pd.DataFrame | None, params: Params):
    """§1-§2 with pandas: the window, one response per doctor x product, each doctor's g; and the reference date."""
    ref = params.reference_date
    if ref is None:
        ref = responses["campaign_end"].max()
    ref = pd.Timestamp(ref)
    ref = ref.tz_localize("UTC") if ref.tzinfo is None else ref
    oldest = ref - pd.DateOffset(months=params.max_age_months)
    df = responses[(responses["campaign_end"] >= oldest) & (responses["campaign_end"] <= ref)]
    df = df.sort_values(["campaign_end", "submitted_at", "campaign_id"]).drop_duplicates(
        ["doctor_id", "product_id"], keep="last"
    )
    facets = list(c.FACETS)
    if facet_weights is None or facet_weights.empty:
        row_w = pd.DataFrame(1.0, index=df.index, columns=facets)
    else:
        table = facet_weights[facets].astype(float)
        default = (
            table.loc[c.DEFAULT_WEIGHTS_ROW]
            if c.DEFAULT_WEIGHTS_ROW in table.index
            else pd.Series(1.0, index=facets)
        )
        per_cat = table.drop(index=c.DEFAULT_WEIGHTS_ROW, errors="ignore")
        per_cat.index = per_cat.index.astype(int)
        row_w = per_cat.reindex(df["category_id"]).set_axis(df.index)
        row_w = row_w.fillna(default)
    answered = df[facets].notna()
    den = row_w.where(answered, 0.0).sum(axis=1)
    df = df.assign(g=(row_w * df[facets]).where(answered, 0.0).sum(axis=1) / den)
    return df[den > 0], ref


def _estimator(params: Params, ref):
    """The per-group function: weights (raking, trimming, recency) and the doctor and facet estimates."""

    def per_group(p: pd.DataFrame) -> pd.Series:
        months = ((ref - p["campaign_end"]) / pd.Timedelta(days=1)).clip(lower=0) / c.DAYS_PER_MONTH
        recency = 0.5 ** (months / params.half_life_months)
        w = _population_weights(p, params) * recency
        out = {f"doctor_{k}": v for k, v in _dirichlet_beta(p["g"], w, params.confidence).items()}
        for f in c.FACETS:
            has = p[f].notna()
            if has.any():
                for k, v in _dirichlet_beta(p.loc[has, f], w[has], params.confidence).items():
                    out[f"{f}__{k}"] = v
        return pd.Series(out)

    return per_group


def _long_facets(wide: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    long = []
    for f in c.FACETS:
        cols = [f"{f}__{k}" for k in ("score", "ci_low", "ci_high", "n", "n_effective")]
        part = wide.reindex(columns=cols).dropna(subset=[cols[0]])
        part.columns = ["score", "ci_low", "ci_high", "n", "n_effective"]
        long.append(part.assign(facet=f).reset_index())
    table = pd.concat(long, ignore_index=True)[
        [*keys, "facet", "score", "ci_low", "ci_high", "n", "n_effective"]
    ]
    table["n"] = table["n"].astype(np.int64)
    return table


def compute_scores_groupby_apply(
    responses: pd.DataFrame, facet_weights: pd.DataFrame | None = None, params: Params | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (products, facets): doctor score, interval and facet scores, one product at a time.

    `products` is indexed by product_id with n_respondents, n_effective, doctor_score, doctor_ci_low,
    doctor_ci_high, doctor_variance; `facets` is long (product_id, facet, score, ci_low, ci_high, n,
    n_effective). Raw estimates: nothing is hidden below the status thresholds.
    """
    params = params or Params()
    df, ref = _prepare(responses, facet_weights, params)
    wide = df.groupby("product_id").apply(_estimator(params, ref))
    if isinstance(wide, pd.Series):  # pandas returns a Series when the per-product Series differ in keys
        wide = wide.unstack()
    products = pd.DataFrame(
        {
            "n_respondents": wide["doctor_n"].astype(np.int64),
            "n_effective": wide["doctor_n_effective"],
            "doctor_score": wide["doctor_score"],
            "doctor_ci_low": wide["doctor_ci_low"],
            "doctor_ci_high": wide["doctor_ci_high"],
            "doctor_variance": wide["doctor_variance"],
        }
    )
    return products, _long_facets(wide, ["product_id"])


def subgroup_scores_groupby_apply(
    responses: pd.DataFrame, facet_weights: pd.DataFrame | None = None, params: Params | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """§10 one subgroup at a time: for each profile column, each product x level is estimated on its rows
    alone, raked on the other margins. Return (globals, facets), long, keyed by product_id, dimension, value.
    """
    params = params or Params()
    df, ref = _prepare(responses, facet_weights, params)
    globals_, facets = [], []
    for dim in c.PROFILE_DIMENSIONS:
        if dim not in df.columns:
            continue
        values = df[dim].astype(object)
        known = df[values.notna() & (values.astype(str) != "")].assign(value=values.astype(str))
        if known.empty:
            continue
        others = dataclasses.replace(params, margins={k: v for k, v in params.margins.items() if k != dim})
        wide = known.groupby(["product_id", "value"]).apply(_estimator(others, ref))
        if isinstance(wide, pd.Series):
            wide = wide.unstack()
        part = wide[["doctor_n", "doctor_n_effective", "doctor_score", "doctor_ci_low", "doctor_ci_high"]]
        globals_.append(part.reset_index().assign(dimension=dim))
        facets.append(_long_facets(wide, ["product_id", "value"]).assign(dimension=dim))
    return pd.concat(globals_, ignore_index=True), pd.concat(facets, ignore_index=True)
