"""The plain objects of a vendor report, its method note and the digest of its figures."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Figures are hashed at the precision of the score export (6 decimals, README "Interchange formats").
HASH_DECIMALS = 6


class ReportUnavailable(Exception):
    """The campaign has no stored scores, so no report can be built."""


@dataclass(frozen=True)
class VendorSummary:
    status: str
    n_respondents: int | None
    n_effective: float | None
    doctor_score: float | None
    doctor_ci_low: float | None
    doctor_ci_high: float | None
    n_products: int | None


@dataclass(frozen=True)
class ProductSummary:
    """The first page's line of one product."""

    product: str
    product_name: str
    category: str
    status: str
    status_label: str
    n_respondents: int | None
    n_effective: float | None
    global_score: float | None
    global_ci_low: float | None
    global_ci_high: float | None
    doctor_score: float | None
    doctor_ci_low: float | None
    doctor_ci_high: float | None
    rank: int | None
    rank_low: float | None
    rank_high: float | None
    n_ranked: int | None
    previous_campaign: str | None
    change: float | None
    change_low: float | None
    change_high: float | None
    change_significant: bool | None
    recommend_pct: float | None
    recommend_ci_low: float | None
    recommend_ci_high: float | None
    net_recommendation: float | None


@dataclass(frozen=True)
class FacetLine:
    """One facet of one product against its category (§6)."""

    facet: str
    facet_name: str
    n: int | None
    score: float | None
    ci_low: float | None
    ci_high: float | None
    category_q1: float | None
    category_median: float | None
    category_q3: float | None
    category_n_products: int | None
    reference: float | None
    difference: float | None
    difference_low: float | None
    difference_high: float | None
    p_holm: float | None
    verdict: str
    sentence: str


@dataclass(frozen=True)
class DistributionBand:
    facet: str
    facet_name: str
    level_low: int
    level_high: int
    share: float


@dataclass(frozen=True)
class ExpertReview:
    title: str
    reviewer: str
    test_date: datetime.date
    verdict: str
    expert_score: float | None
    facet_scores: list = field(default_factory=list)  # [(facet name, score 1–5)]


@dataclass(frozen=True)
class Reply:
    text: str
    published_at: datetime.datetime | None


@dataclass(frozen=True)
class Comment:
    date: datetime.date
    profile: str
    text: str


@dataclass(frozen=True)
class ProductReport:
    summary: ProductSummary
    facets: list
    distributions: list
    expert_review: ExpertReview | None
    reply: Reply | None
    comments: list
    situation: object = None  # prices, subgroups and switching of §10 (cms/reports/situation.py)


@dataclass(frozen=True)
class VendorReport:
    vendor: str
    vendor_name: str
    campaign: str
    campaign_title: str
    methodology_version: int
    min_respondents: int
    alpha: float
    generated_at: datetime.datetime
    vendor_summary: VendorSummary | None
    products: list
    identifier: str = ""
    sha256: str = ""
    commitments: list = field(default_factory=list)  # CommitmentLines (cms/reports/commitments.py)

    @property
    def method_note(self):
        return method_note(self)


def method_note(report):
    """Return the short method note printed with every format of the report."""
    return _(
        "Scores from 1 to 5, weighted to the population of self-employed doctors, with 95 %% intervals "
        "(methodology version %(version)s). The global score blends the published expert review "
        "(weight %(alpha)s) with the doctors' score. No figure describes fewer than %(min)s respondents "
        "(shown as —). Facets are compared with the precision-weighted mean of the other ranked products "
        "of the category, with Holm's correction across the product's facets at 5 %%. Comments are "
        "published after moderation, with a coarse profile only. The SHA-256 is that of the canonical "
        "JSON of every figure of the report."
    ) % {"version": report.methodology_version, "alpha": report.alpha, "min": report.min_respondents}


def _canonical(value):
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, HASH_DECIMALS)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def figures_digest(report):
    """Return the SHA-256 of the canonical JSON of the report's figures (identity and metadata aside)."""
    payload = {
        "vendor": report.vendor,
        "campaign": report.campaign,
        "methodology_version": report.methodology_version,
        "vendor_summary": dataclasses.asdict(report.vendor_summary) if report.vendor_summary else None,
        "products": [dataclasses.asdict(p) for p in report.products],
    }
    if report.commitments:  # a report without commitments keeps the digest it had before they existed
        payload["commitments"] = [dataclasses.asdict(c) for c in report.commitments]
    text = json.dumps(_canonical(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
