"""Scores for a doctor like me (§10): the §3-§4 estimate of every product within each subgroup.

A subgroup is one level of a profile dimension (practice group, practice setting, region). Its
estimate is the product's estimate run on the subgroup's responses alone: recency weights, raking
on the other strata dimensions only, the same intervals and thresholds (5 to show, 20 and
n_eff 15 for "ok"). Every product x level of a dimension is one group of a single vectorised pass.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import constants as c
from .breakdowns import facet_estimates
from .columns import SUFFICIENT_COLUMNS
from .estimates import status
from .group_estimates import estimate_groups, tally
from .rows import Profile
from .weighting_cells import build_cells

GLOBAL = "global"  # the measure of the doctors' global score g (§2); the others are facet slugs

SUBGROUP_COLUMNS = (
    "product_id",
    "dimension",
    "value",
    "measure",
    "n",
    "n_effective",
    "score",
    "ci_low",
    "ci_high",
    "variance",
    "status",
    *SUFFICIENT_COLUMNS,
)


def subgroup_scores(rows, product: np.ndarray, product_ids: np.ndarray, params) -> pd.DataFrame:
    """Return the long table of SUBGROUP_COLUMNS: one row per product x dimension x level x measure.

    `product` is each row's position in `product_ids`. Only groups of at least `min_respondents`
    answers have a row (§9): a smaller subgroup leaves no trace.
    """
    parts = [_dimension(rows, profile, product, product_ids, params) for profile in rows.profiles]
    parts = [part for part in parts if len(part)]
    if not parts:
        return pd.DataFrame({name: [] for name in SUBGROUP_COLUMNS})
    return pd.concat(parts, ignore_index=True)[list(SUBGROUP_COLUMNS)]


def _dimension(rows, profile: Profile, product, product_ids, params) -> pd.DataFrame:
    n_levels = len(profile.levels)
    known = np.flatnonzero(profile.codes >= 0)
    if n_levels == 0 or known.size == 0:
        return pd.DataFrame()
    n_groups = len(product_ids) * n_levels
    group = product[known] * n_levels + profile.codes[known]
    others = [s.take(known) for s in rows.strata if s.name != profile.name]
    n_campaigns = max(len(rows.campaign_recency), 1)
    cells = build_cells(group, n_groups, others, rows.campaign[known], n_campaigns)
    recency = rows.campaign_recency[cells.campaign] if len(rows.campaign_recency) else np.ones(cells.n_cells)
    main = estimate_groups(cells, n_groups, tally(cells, rows.g[known]), recency, params)
    facets = facet_estimates(cells, rows.levels[:, known], main.weight, n_groups, params.confidence)
    n_facets = len(c.FACETS)
    facet_status = status(
        facets.estimate.n,
        facets.estimate.n_eff,
        params.min_respondents,
        params.limited_respondents,
        params.limited_neff,
    )
    measures = np.concatenate(
        [np.full(n_groups, GLOBAL, dtype=object), np.tile(np.array(c.FACETS, dtype=object), n_groups)]
    )
    group_of = np.concatenate([np.arange(n_groups), np.repeat(np.arange(n_groups), n_facets)])
    table = pd.DataFrame(
        {
            "product_id": product_ids[group_of // n_levels],
            "dimension": profile.name,
            "value": profile.levels[group_of % n_levels],
            "measure": measures,
            **_columns(main.estimate, facets.estimate),
            "status": np.concatenate([main.status, facet_status]).astype(str),
        }
    )
    return table.loc[table["n"].to_numpy() >= params.min_respondents].reset_index(drop=True)


def _columns(*estimates) -> dict:
    def joined(get):
        return np.concatenate([get(est) for est in estimates])

    m = {
        "n": joined(lambda e: e.n).astype(np.int64),
        "n_effective": joined(lambda e: e.n_eff),
        "score": joined(lambda e: e.mean),
        "ci_low": joined(lambda e: e.low),
        "ci_high": joined(lambda e: e.high),
        "variance": joined(lambda e: e.variance),
    }
    for name, attr in zip(SUFFICIENT_COLUMNS, ("sw", "sw2", "swy", "swy2"), strict=True):
        m[name] = joined(lambda e, attr=attr: getattr(e.moments, attr))
    return m
