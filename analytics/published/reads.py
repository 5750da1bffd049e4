"""Selectors over the stored snapshots: every read of published scores goes through these."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
from django.db.models import Count, F, FilteredRelation, Q, Subquery
from django.db.models.functions import Coalesce

from analytics.core.ranking import campaign_change
from analytics.models import AnswerDistribution, FacetScore, ProductScore, ScoreSnapshot, Status, VendorScore
from ratings.models import FACET_SLUGS
from surveys.models import Response, Specialty

from .figures import (
    Band,
    Benchmark,
    CategoryRanking,
    FacetFigures,
    HistoryPoint,
    ProductFigures,
    ScoreChange,
    Snapshot,
    VendorFigures,
)

# Quartiles of a facet over fewer ranked products than this say nothing about a category.
MIN_PRODUCTS_FOR_BENCHMARK = 3

# Fields the read API derives rather than reads.
_DERIVED = {"product", "product_id", "weighting_simplified"}
_PRODUCT_FIELDS = [f.name for f in fields(ProductFigures) if f.name not in _DERIVED]
_VENDOR_FIELDS = [f.name for f in fields(VendorFigures) if f.name != "vendor_id"]


def current_snapshot():
    """Return the snapshot readers see (the latest campaign's), or None before any computation."""
    latest = ScoreSnapshot.objects.order_by("-computed_at").values("computed_at")[:1]
    row = (
        ScoreSnapshot.objects.select_related("campaign", "methodology")
        .filter(is_current=True)
        .annotate(scores_computed_at=Subquery(latest))
        .first()
    )
    return _snapshot(row)


def snapshot_for_campaign(campaign):
    """Return the stored snapshot of `campaign`, or None."""
    row = (
        ScoreSnapshot.objects.select_related("campaign", "methodology")
        .filter(campaign=campaign)
        .order_by("-computed_at")
        .first()
    )
    return _snapshot(row)


def campaign_snapshots():
    """Return the latest snapshot of every campaign with computed scores, newest campaign first (one query)."""
    rows = ScoreSnapshot.objects.select_related("campaign", "methodology").order_by(
        "-campaign__closes_on", "-campaign_id", "-computed_at"
    )
    latest = {}
    for row in rows:
        latest.setdefault(row.campaign_id, row)
    return [_snapshot(row) for row in latest.values()]


def _snapshot(row):
    if row is None:
        return None
    return Snapshot(
        pk=row.pk,
        campaign=row.campaign,
        methodology=row.methodology,
        computed_at=row.computed_at,
        reference_date=row.reference_date,
        is_current=row.is_current,
        weighting=row.weighting,
        scores_computed_at=getattr(row, "scores_computed_at", None),
    )


def _product_figures(snapshot, row, product=None):
    values = {name: getattr(row, name) for name in _PRODUCT_FIELDS}
    values["weighting_simplified"] = bool(row.weighting) and row.weighting != snapshot.weighting
    if row.status == Status.INSUFFICIENT:
        # n_eff and the design effect of 1–4 respondents describe a group too small to show (§9).
        values.update(n_effective=None, design_effect=None)
    return ProductFigures(product_id=row.product_id, product=product, **values)


def product_scores(snapshot, products=None):
    """Return {product id: ProductFigures} of `snapshot`, limited to `products` (a queryset or list)."""
    if snapshot is None:
        return {}
    rows = ProductScore.objects.filter(snapshot_id=snapshot.pk)
    if products is not None:
        rows = rows.filter(product__in=products)
    return {row.product_id: _product_figures(snapshot, row) for row in rows}


def with_scores(products, snapshot):
    """Annotate a product queryset with its figures in `snapshot`, to sort and filter on in the database.

    One LEFT JOIN: `score_shown` (the global score, else the doctors'; as ProductFigures.display_score),
    `score_ranked` (R of §6), `score_n` (respondents), `score_status` and `score_price` (the median price
    paid, §10, None below 10 answers); None without a stored score.
    """
    current = FilteredRelation("scores", condition=Q(scores__snapshot_id=snapshot.pk if snapshot else None))
    return products.annotate(
        current_score=current,
        score_shown=Coalesce("current_score__global_score", "current_score__doctor_score"),
        score_ranked=F("current_score__ranked_score"),
        score_n=F("current_score__n_respondents"),
        score_status=F("current_score__status"),
        score_price=F("current_score__price_median"),
    )


def product_score(snapshot, product):
    """Return the ProductFigures of one product, or None when it has no stored score."""
    if snapshot is None:
        return None
    row = ProductScore.objects.filter(snapshot_id=snapshot.pk, product=product).first()
    return None if row is None else _product_figures(snapshot, row, product)


def facet_scores(snapshot, product_ids):
    """Return {product id: [FacetFigures in facet order]} (an empty list for a product without facets)."""
    result = {pid: [] for pid in product_ids}
    if snapshot is None or not result:
        return result
    order = {slug: i for i, slug in enumerate(FACET_SLUGS)}
    # Plain tuples, not model instances: a page of the catalogue reads hundreds of these.
    rows = FacetScore.objects.filter(snapshot_id=snapshot.pk, product_id__in=list(result)).values_list(
        "product_id", "facet", "n", "score", "ci_low", "ci_high", "n_effective", "variance"
    )
    minimum = snapshot.min_respondents
    for product_id, facet, n, score, ci_low, ci_high, n_effective, variance in sorted(
        rows, key=lambda r: (r[0], order.get(r[1], len(order)))
    ):
        shown = score is not None and n >= minimum
        result[product_id].append(
            FacetFigures(
                product_id=product_id,
                facet=facet,
                n=n,
                score=score if shown else None,
                ci_low=ci_low if shown else None,
                ci_high=ci_high if shown else None,
                n_effective=n_effective if shown else None,
                variance=variance if shown else None,
            )
        )
    return result


def distributions(snapshot, product):
    """Return {facet: [Band, …]} of `product`: shares of answers, only where §9 lets them be shown."""
    if snapshot is None:
        return {}
    result = {}
    rows = AnswerDistribution.objects.filter(snapshot_id=snapshot.pk, product=product).order_by(
        "facet", "level_low"
    )
    for row in rows:
        result.setdefault(row.facet, []).append(
            Band(level_low=row.level_low, level_high=row.level_high, share=row.share, count=row.count)
        )
    minimum = snapshot.min_respondents
    # The core stores only safe distributions; a facet with any band under the minimum is dropped whole.
    order = {slug: i for i, slug in enumerate(FACET_SLUGS)}
    return {
        facet: bands
        for facet, bands in sorted(result.items(), key=lambda item: order.get(item[0], len(order)))
        if all(band.count >= minimum for band in bands if band.count)
    }


def rankings(snapshot, products):
    """Return a CategoryRanking per category of `products` (a queryset with vendor and category)."""
    if snapshot is None:
        return []
    figures = product_scores(snapshot, products)
    by_category = {}
    for product in products:
        row = figures.get(product.pk)
        if row is None or not (row.is_ranked or row.is_limited):
            continue
        entry = by_category.setdefault(product.category, CategoryRanking(category=product.category))
        row = _with_product(row, product)
        (entry.ranked if row.is_ranked else entry.limited).append(row)
    result = []
    for category in sorted(by_category, key=lambda c: (c.sort_order, c.name)):
        entry = by_category[category]
        entry.ranked.sort(key=lambda r: (r.rank or 0, -(r.ranked_score or 0), r.product.name))
        entry.limited.sort(key=lambda r: (-(r.display_score or 0), r.product.name))
        result.append(entry)
    return result


def _with_product(row, product):
    values = {f.name: getattr(row, f.name) for f in fields(ProductFigures)}
    values["product"] = product
    return ProductFigures(**values)


def category_leaders(snapshot):
    """Return [(category, ProductFigures)] of the listed products ranked first in each category."""
    if snapshot is None:
        return []
    rows = (
        ProductScore.objects.filter(snapshot_id=snapshot.pk, rank=1, product__is_listed=True)
        .select_related("product", "product__category", "product__vendor", "product__logo")
        .order_by("product__category__sort_order", "product__category__name", "product__name")
    )
    return [(row.product.category, _product_figures(snapshot, row, row.product)) for row in rows]


def category_benchmarks(snapshot, category):
    """Return {facet: Benchmark} over the ranked products of `category` (facets with too few omitted)."""
    if snapshot is None:
        return {}
    ranked = ProductScore.objects.filter(
        snapshot_id=snapshot.pk, product__category=category, status=Status.OK
    ).values_list("product_id", flat=True)
    values = {}
    for facets in facet_scores(snapshot, list(ranked)).values():
        for cell in facets:
            if cell.score is not None:
                values.setdefault(cell.facet, []).append(cell.score)
    result = {}
    for facet in FACET_SLUGS:
        scores = np.asarray(values.get(facet, []), dtype=float)
        if len(scores) >= MIN_PRODUCTS_FOR_BENCHMARK:
            q1, median, q3 = np.percentile(scores, [25, 50, 75])
            result[facet] = Benchmark(
                facet=facet, n_products=len(scores), median=float(median), q1=float(q1), q3=float(q3)
            )
    return result


def vendor_score(snapshot, vendor):
    """Return the VendorFigures of `vendor`, or None."""
    if snapshot is None:
        return None
    row = VendorScore.objects.filter(snapshot_id=snapshot.pk, vendor=vendor).first()
    if row is None:
        return None
    values = {name: getattr(row, name) for name in _VENDOR_FIELDS}
    if row.status == Status.INSUFFICIENT:
        values.update(n_effective=None, design_effect=None)
    return VendorFigures(vendor_id=row.vendor_id, **values)


def score_history(product):
    """Return the doctors' score of `product` in every campaign it was shown, oldest first."""
    rows = (
        ProductScore.objects.filter(product=product, doctor_score__isnull=False)
        .exclude(status=Status.INSUFFICIENT)
        .select_related("snapshot__campaign")
        .order_by("snapshot__campaign__closes_on", "snapshot__campaign__pk")
    )
    return [
        HistoryPoint(
            campaign=row.snapshot.campaign,
            doctor_score=row.doctor_score,
            doctor_ci_low=row.doctor_ci_low,
            doctor_ci_high=row.doctor_ci_high,
            doctor_variance=row.doctor_variance,
            n_respondents=row.n_respondents,
        )
        for row in rows
    ]


def score_change(snapshot, history):
    """Return the ScoreChange of the snapshot's campaign against the latest earlier one in `history`."""
    if snapshot is None:
        return None
    closes_on = snapshot.campaign.closes_on
    current = next((p for p in history if p.campaign.pk == snapshot.campaign.pk), None)
    earlier = [p for p in history if p.campaign.closes_on < closes_on and p.doctor_variance is not None]
    if current is None or current.doctor_variance is None or not earlier:
        return None
    previous = earlier[-1]
    change = campaign_change(
        previous.doctor_score, previous.doctor_variance, current.doctor_score, current.doctor_variance
    )
    return ScoreChange(
        previous_campaign=previous.campaign,
        difference=float(change.difference),
        low=float(change.low),
        high=float(change.high),
        significant=bool(change.significant),
    )


def comment_profiles(snapshot, product):
    """Return the practice groups ('gp', 'specialist') a comment on `product` may name (§9).

    A comment carries its author's practice group only when the product has at least the minimum
    of respondents in that group; otherwise it is signed "doctor".
    """
    if snapshot is None:
        return frozenset()
    gp = Q(doctor__specialty=Specialty.GENERAL_PRACTICE)
    counts = (
        Response.objects.counted()
        .filter(product=product)
        .aggregate(
            gp=Count("doctor", distinct=True, filter=gp),
            specialist=Count("doctor", distinct=True, filter=~gp),
        )
    )
    return frozenset(group for group, n in counts.items() if n >= snapshot.min_respondents)
