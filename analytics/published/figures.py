"""The plain objects the read API returns: figures named as the scores export names them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_lazy as _

from analytics.core.constants import DESIGN_EFFECT_SHOWN
from analytics.models import Status
from ratings.models import PopulationStratum


@dataclass(frozen=True)
class Snapshot:
    """A stored scoring run and the thresholds of the methodology it used."""

    pk: int
    campaign: object
    methodology: object
    computed_at: object
    reference_date: object
    is_current: bool
    # The strata dimensions the methodology asked for, practice group first, joined by "+".
    weighting: str = ""
    # When any campaign's scores were last computed: with `pk`, what names every figure read from this
    # snapshot in a cache (a recompute of any campaign, the current one or an earlier one, changes it).
    scores_computed_at: object = None

    @property
    def version(self):
        latest = self.scores_computed_at or self.computed_at
        return f"{self.pk}-{latest.timestamp() if latest else 0}"

    @property
    def min_respondents(self):
        return self.methodology.min_respondents

    @property
    def limited_respondents(self):
        return self.methodology.limited_respondents

    @property
    def alpha(self):
        return float(self.methodology.alpha)


@dataclass(frozen=True)
class Figures:
    """The figures products and vendors share; None wherever a figure may not be shown."""

    status: str
    n_respondents: int
    n_effective: float | None
    design_effect: float | None
    doctor_score: float | None
    doctor_ci_low: float | None
    doctor_ci_high: float | None
    doctor_variance: float | None
    balanced: bool

    @property
    def is_insufficient(self):
        return self.status == Status.INSUFFICIENT

    @property
    def is_limited(self):
        return self.status == Status.LIMITED

    @property
    def is_ranked(self):
        return self.status == Status.OK

    @property
    def show_design_effect(self):
        return self.design_effect is not None and self.design_effect > DESIGN_EFFECT_SHOWN


@dataclass(frozen=True)
class ProductFigures(Figures):
    """A product's published scores (its `product` is the catalogue row, vendor and category loaded)."""

    product_id: int
    product: object = None
    recommend_pct: float | None = None
    recommend_ci_low: float | None = None
    recommend_ci_high: float | None = None
    net_recommendation: float | None = None
    expert_score: float | None = None
    expert_only: bool = False
    global_score: float | None = None
    global_ci_low: float | None = None
    global_ci_high: float | None = None
    shrunk_score: float | None = None
    ranked_score: float | None = None
    rank: int | None = None
    rank_low: float | None = None
    rank_high: float | None = None
    p_top3: float | None = None
    tied_first: bool = False
    n_flagged: int = 0
    weighting: str = ""
    # §10: what doctors pay (€/month) and their contracts (percent); None below 10 answers.
    price_q1: float | None = None
    price_median: float | None = None
    price_q3: float | None = None
    price_n: int | None = None
    price_increased_pct: float | None = None
    price_increased_ci_low: float | None = None
    price_increased_ci_high: float | None = None
    price_increased_n: int | None = None
    long_commitment_pct: float | None = None
    long_commitment_ci_low: float | None = None
    long_commitment_ci_high: float | None = None
    long_commitment_n: int | None = None
    switch_pct: float | None = None
    switch_ci_low: float | None = None
    switch_ci_high: float | None = None
    switch_n: int | None = None
    # Set by the read API: raking could not reach the margins, fewer dimensions were used (§3).
    weighting_simplified: bool = False

    @property
    def is_shown(self):
        """Return True when the page shows a score: enough doctors, or a published expert review."""
        return not self.is_insufficient or self.expert_only

    @property
    def display_score(self):
        return self.global_score if self.global_score is not None else self.doctor_score

    @property
    def weighting_labels(self):
        """Return the names of the strata dimensions the weights used, in the reader's language."""
        known = dict(PopulationStratum.Dimension.choices)
        return [str(known.get(d, d)) for d in self.weighting.split("+") if d]

    @property
    def display_ci_low(self):
        return self.global_ci_low if self.global_score is not None else self.doctor_ci_low

    @property
    def display_ci_high(self):
        return self.global_ci_high if self.global_score is not None else self.doctor_ci_high

    @property
    def se(self):
        """Return the standard error of the doctors' score (METHODOLOGY §6), or None."""
        return None if self.doctor_variance is None else float(np.sqrt(self.doctor_variance))

    @property
    def contract_shares(self):
        """Return §10's three shares as Share objects, in the order pages print them."""
        return [
            Share(label, *(getattr(self, f"{name}_{part}") for part in ("pct", "ci_low", "ci_high", "n")))
            for name, label in SHARES
        ]


# §10's shares: the ProductFigures field prefix and what the share counts.
SHARES = (
    ("price_increased", _("Price rose in the last 12 months")),
    ("long_commitment", _("Committed for more than 12 months")),
    ("switch", _("Thinking of changing tool within a year")),
)


@dataclass(frozen=True)
class Share:
    """A share of doctors (percent) with its 95 % Wilson interval and n; pct None below 10 answers."""

    label: str
    pct: float | None
    low: float | None
    high: float | None
    n: int | None


@dataclass(frozen=True)
class VendorFigures(Figures):
    vendor_id: int
    n_products: int | None = None
    weighting: str = ""

    @property
    def is_shown(self):
        return not self.is_insufficient

    @property
    def display_score(self):
        return self.doctor_score

    @property
    def display_ci_low(self):
        return self.doctor_ci_low

    @property
    def display_ci_high(self):
        return self.doctor_ci_high


class WithVariance:
    """Figures carrying the interval's variance V (§4): their standard error for the §6 comparisons."""

    @property
    def se(self):
        """Return the standard error sqrt(V), or None."""
        return None if self.variance is None else float(np.sqrt(self.variance))


@dataclass(frozen=True)
class FacetFigures(WithVariance):
    """One facet of one product: its score and interval, None below the minimum of answers."""

    product_id: int
    facet: str
    n: int
    score: float | None
    ci_low: float | None
    ci_high: float | None
    n_effective: float | None
    variance: float | None = None

    @property
    def is_shown(self):
        return self.score is not None


@dataclass(frozen=True)
class Band:
    """A share of answers from `level_low` to `level_high` (one level, or a merged group, §9)."""

    level_low: int
    level_high: int
    share: float
    count: int


@dataclass(frozen=True)
class Benchmark:
    """Median and quartiles of one facet over a category's ranked products."""

    facet: str
    n_products: int
    median: float
    q1: float
    q3: float


@dataclass(frozen=True)
class CategoryRanking:
    """A category's ranking (§6): ranked products in rank order, limited ones apart."""

    category: object
    ranked: list = field(default_factory=list)
    limited: list = field(default_factory=list)

    @property
    def tied_first(self):
        """Return True when two or more products could hold rank 1 ("tied for first" means something)."""
        return sum(1 for row in self.ranked if row.tied_first) > 1

    @property
    def order_differs(self):
        """Return True when the rank order is not the order of the displayed global scores."""
        shown = [row.display_score for row in self.ranked]
        return any(a < b for a, b in zip(shown, shown[1:], strict=False))


@dataclass(frozen=True)
class HistoryPoint:
    campaign: object
    doctor_score: float
    doctor_ci_low: float
    doctor_ci_high: float
    doctor_variance: float | None
    n_respondents: int


@dataclass(frozen=True)
class ScoreChange:
    """Change of the doctors' score since an earlier campaign, significant when its interval excludes 0."""

    previous_campaign: object
    difference: float
    low: float
    high: float
    significant: bool
