"""Pure statistics core of the rating agency: numpy, pandas, scipy and plotly only, no Django.

The public entry points are re-exported here; METHODOLOGY.md documents the method.
"""

from .campaigns import campaign_scores
from .constants import FACETS, LEVELS
from .estimates import dirichlet_beta, grouped_moments, kish_neff, wilson_interval
from .fraud import (
    burst_flags,
    fresh_account_flags,
    outlier_flags,
    shared_network_flags,
    straight_lining_flags,
    vendor_domain_flags,
)
from .params import Params
from .pipeline import ScoreResult, compute_scores
from .ranking import campaign_change, rank_intervals, shrink

__all__ = [
    "FACETS",
    "LEVELS",
    "Params",
    "ScoreResult",
    "burst_flags",
    "campaign_change",
    "campaign_scores",
    "compute_scores",
    "dirichlet_beta",
    "fresh_account_flags",
    "grouped_moments",
    "kish_neff",
    "outlier_flags",
    "rank_intervals",
    "shared_network_flags",
    "shrink",
    "straight_lining_flags",
    "vendor_domain_flags",
    "wilson_interval",
]
