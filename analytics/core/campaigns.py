"""Scores campaign by campaign, for trends and campaign-to-campaign changes (§6)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import constants as c
from .group_estimates import estimate_groups, tally
from .params import Params
from .rows import category_weight_matrix, dense_codes, facet_levels, global_scores, strata_from_frame
from .weighting_cells import build_cells


def campaign_scores(
    responses: pd.DataFrame, facet_weights: pd.DataFrame | None = None, params: Params | None = None
) -> pd.DataFrame:
    """Return the doctor score of every product in every campaign, each campaign's responses on their own.

    Columns: product_id, campaign_id, campaign_end, n_respondents, n_effective, doctor_score,
    doctor_ci_low, doctor_ci_high, doctor_variance, status. Each campaign is its own sample, so
    `ranking.campaign_change` adds the two variances as §6 prescribes (doctors answering both
    times make that conservative). No 24-month window applies: this is the history behind trends.
    """
    params = params or Params()
    columns = ["product_id", "campaign_id", "campaign_end", "n_respondents", "n_effective", "doctor_score"]
    levels = facet_levels(responses)
    category, category_ids = dense_codes(responses["category_id"].to_numpy())
    g = global_scores(levels, category_weight_matrix(facet_weights, category_ids), category)
    keep = np.flatnonzero(np.isfinite(g))
    if keep.size == 0:
        return pd.DataFrame(columns=columns)
    frame = responses.iloc[keep]
    pairs = pd.MultiIndex.from_arrays([frame["product_id"], frame["campaign_id"]])
    group, keys = pd.factorize(pairs, sort=True)
    n_groups = len(keys)
    cells = build_cells(group.astype(np.int64), n_groups, strata_from_frame(frame, params.margins))
    # One campaign per group: its recency weight is a constant that cancels out.
    res = estimate_groups(cells, n_groups, tally(cells, g[keep]), np.ones(cells.n_cells), params)
    est = res.estimate
    hidden = res.status == c.STATUS_INSUFFICIENT
    return pd.DataFrame(
        {
            "product_id": keys.get_level_values(0).to_numpy(dtype=np.int64),
            "campaign_id": keys.get_level_values(1).to_numpy(dtype=np.int64),
            "campaign_end": frame["campaign_end"].groupby(group).max().reset_index(drop=True),
            "n_respondents": est.n.astype(np.int64),
            "n_effective": est.n_eff,
            "doctor_score": _hide(est.mean, hidden),
            "doctor_ci_low": _hide(est.low, hidden),
            "doctor_ci_high": _hide(est.high, hidden),
            "doctor_variance": _hide(est.variance, hidden),
            "status": pd.array(res.status, dtype="str"),
        }
    )


def _hide(values: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    return np.where(hidden, np.nan, values)
