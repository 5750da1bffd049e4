"""Vendor scores (§6): the doctor stays the unit, whatever the number of the vendor's products rated."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .group_estimates import Tallies, tally
from .rows import Rows, Stratum
from .weighting_cells import Cells, build_cells


def vendor_cells(rows: Rows) -> tuple[np.ndarray, Cells, Tallies, np.ndarray]:
    """Collapse responses to one unit per doctor x vendor, then tally the units into cells of each vendor.

    Returns (vendor ids, cells, tallies of the unit scores, recency weight of each cell). A unit's
    score is the mean of the doctor's g over the vendor's products they rated, its recency weight
    the mean of those responses' recency weights, its strata levels the doctor's (the highest level
    code if the responses disagree).
    """
    vendor_ids, unit = rows.vendor_ids, rows.unit
    n_units = int(unit.max(initial=-1)) + 1
    per_unit = np.bincount(unit, minlength=n_units).astype(np.float64)
    unit_g = np.bincount(unit, weights=rows.g, minlength=n_units) / per_unit
    unit_vendor = np.zeros(n_units, dtype=np.int64)
    unit_vendor[unit] = rows.vendor
    # Units of a single response (most of them) fall in their campaign's recency class; the mixes
    # of several campaigns get classes of their own.
    unit_campaign = np.zeros(n_units, dtype=np.int64)
    unit_campaign[unit] = rows.campaign
    recency_class = unit_campaign
    recency_values = rows.campaign_recency
    mixed = np.flatnonzero(per_unit > 1)
    if mixed.size:
        in_mixed = per_unit[unit] > 1
        mean = (
            np.bincount(
                unit[in_mixed], weights=rows.campaign_recency[rows.campaign[in_mixed]], minlength=n_units
            )[mixed]
            / per_unit[mixed]
        )
        extra, extra_values = pd.factorize(mean)
        recency_class = unit_campaign.copy()
        recency_class[mixed] = len(recency_values) + extra
        recency_values = np.concatenate([recency_values, np.asarray(extra_values, dtype=np.float64)])
    unit_strata = []
    for s in rows.strata:
        codes = np.full(n_units, -1, dtype=np.int64)
        np.maximum.at(codes, unit, s.codes)
        unit_strata.append(Stratum(s.name, codes, s.shares))
    cells = build_cells(unit_vendor, len(vendor_ids), unit_strata, recency_class, max(len(recency_values), 1))
    return vendor_ids, cells, tally(cells, unit_g), recency_values[cells.campaign]
