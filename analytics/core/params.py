"""Parameters of one scoring run (a methodology version)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import pandas as pd

from . import constants as c


def _default_margins() -> dict[str, dict[str, float]]:
    return copy.deepcopy(c.DEFAULT_MARGINS)


@dataclass(frozen=True)
class Params:
    """Tunable parameters; the defaults are METHODOLOGY v1.

    `margins` maps a strata column of the responses frame to the population count of each of its
    levels; an empty mapping switches population weighting off (recency weights only).
    `reference_date` defaults to the latest campaign end found in the responses.
    """

    alpha: float = c.ALPHA
    half_life_months: float = c.HALF_LIFE_MONTHS
    trim_factor: float = c.TRIM_FACTOR
    min_respondents: int = c.MIN_RESPONDENTS
    limited_respondents: int = c.LIMITED_RESPONDENTS
    limited_neff: float = c.LIMITED_NEFF
    max_age_months: int = c.MAX_AGE_MONTHS
    margins: dict[str, dict[str, float]] = field(default_factory=_default_margins)
    reference_date: pd.Timestamp | None = None
    rank_draws: int = c.RANK_DRAWS
    seed: int = c.SEED
    raking_max_iter: int = c.RAKING_MAX_ITER
    raking_tol: float = c.RAKING_TOL
    raking_margin_tol: float = c.RAKING_MARGIN_TOL
    min_ranked_for_own_tau: int = c.MIN_RANKED_FOR_OWN_TAU
    confidence: float = c.CONFIDENCE

    def __post_init__(self):
        if not 0.0 <= self.alpha <= 1.0:
            raise ValueError("alpha must lie in [0, 1]")
        if self.half_life_months <= 0 or self.trim_factor <= 1.0:
            raise ValueError("half_life_months must be > 0 and trim_factor > 1")
        for dim, levels in self.margins.items():
            if not levels or any(v < 0 for v in levels.values()) or sum(levels.values()) <= 0:
                raise ValueError(f"margins of {dim!r} must be non-negative with a positive total")
