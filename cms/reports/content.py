"""The report of one vendor for one campaign, as plain dataclasses built from the read API only.

Every figure comes from `analytics.published` (small groups already None there, METHODOLOGY §9);
the §6 comparisons are derived from its facet figures. No respondent-level figure is carried:
comments keep their date, a coarse profile and their text, nothing else.
"""

from __future__ import annotations

import dataclasses

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from analytics import published
from analytics.models import Status
from cms.models import ExpertReviewPage
from ratings.models import Facet, Product
from surveys.models import Response

from . import comparison
from .commitments import commitment_lines
from .report import (
    Comment,
    DistributionBand,
    ExpertReview,
    FacetLine,
    ProductReport,
    ProductSummary,
    Reply,
    ReportUnavailable,
    VendorReport,
    VendorSummary,
    figures_digest,
)
from .situation import situation_of

SHORT_HASH = 10


def _vendor_summary(snapshot, vendor):
    figures = published.vendor_score(snapshot, vendor)
    if figures is None:
        return None
    return VendorSummary(
        status=figures.status,
        # A count of 1–4 respondents describes a group too small to show (§9).
        n_respondents=None if figures.is_insufficient else figures.n_respondents,
        n_effective=figures.n_effective,
        doctor_score=figures.doctor_score,
        doctor_ci_low=figures.doctor_ci_low,
        doctor_ci_high=figures.doctor_ci_high,
        n_products=figures.n_products,
    )


def _summary(snapshot, product, figures, n_ranked):
    change = published.score_change(snapshot, published.score_history(product))
    return ProductSummary(
        product=product.slug,
        product_name=product.name,
        category=product.category.name,
        status=figures.status,
        status_label=str(Status(figures.status).label),
        n_respondents=None if figures.is_insufficient else figures.n_respondents,
        n_effective=figures.n_effective,
        global_score=figures.global_score,
        global_ci_low=figures.global_ci_low,
        global_ci_high=figures.global_ci_high,
        doctor_score=figures.doctor_score,
        doctor_ci_low=figures.doctor_ci_low,
        doctor_ci_high=figures.doctor_ci_high,
        rank=figures.rank if figures.is_ranked else None,
        rank_low=figures.rank_low if figures.is_ranked else None,
        rank_high=figures.rank_high if figures.is_ranked else None,
        n_ranked=n_ranked if figures.is_ranked else None,
        previous_campaign=change.previous_campaign.title if change else None,
        change=change.difference if change else None,
        change_low=change.low if change else None,
        change_high=change.high if change else None,
        change_significant=change.significant if change else None,
        recommend_pct=figures.recommend_pct,
        recommend_ci_low=figures.recommend_ci_low,
        recommend_ci_high=figures.recommend_ci_high,
        net_recommendation=figures.net_recommendation,
    )


def _facet_lines(snapshot, product, cells, ranked_others, names):
    """Return the FacetLines of `product`: its cells, the category's quartiles and the §6 verdicts."""
    benchmarks = published.category_benchmarks(snapshot, product.category)
    other_cells = published.facet_scores(snapshot, ranked_others)
    references = {
        cell.facet: comparison.reference(
            (other.score, other.variance)
            for facets in other_cells.values()
            for other in facets
            if other.facet == cell.facet
        )
        for cell in cells
    }
    verdicts = comparison.compare_facets({c.facet: (c.score, c.variance) for c in cells}, references)
    lines = []
    for cell, verdict in zip(cells, verdicts, strict=True):
        bench = benchmarks.get(cell.facet)
        name = names.get(cell.facet, cell.facet)
        lines.append(
            FacetLine(
                facet=cell.facet,
                facet_name=name,
                n=cell.n if cell.is_shown else None,
                score=cell.score,
                ci_low=cell.ci_low,
                ci_high=cell.ci_high,
                category_q1=bench.q1 if bench else None,
                category_median=bench.median if bench else None,
                category_q3=bench.q3 if bench else None,
                category_n_products=bench.n_products if bench else None,
                reference=verdict.reference,
                difference=verdict.difference,
                difference_low=verdict.difference_low,
                difference_high=verdict.difference_high,
                p_holm=verdict.p_holm,
                verdict=verdict.verdict,
                sentence=comparison.sentence(verdict, name),
            )
        )
    return lines


def _distributions(snapshot, product, names):
    return [
        DistributionBand(
            facet=facet, facet_name=names.get(facet, facet), level_low=b.level_low, level_high=b.level_high,
            share=b.share,
        )
        for facet, bands in published.distributions(snapshot, product).items()
        for b in bands
    ]  # fmt: skip


def _expert_review(product, figures):
    page = (
        ExpertReviewPage.objects.live().public().filter(product=product).order_by("-test_date", "-pk").first()
    )
    if page is None:
        return None
    scores = page.facet_scores.select_related("facet").order_by("facet__sort_order")
    return ExpertReview(
        title=page.title,
        reviewer=page.reviewer,
        test_date=page.test_date,
        verdict=" ".join(strip_tags(page.verdict).split()),
        expert_score=figures.expert_score,
        facet_scores=[(s.facet.name, s.score) for s in scores],
    )


def _reply(product):
    reply = product.replies.published().first()
    return None if reply is None else Reply(text=reply.text, published_at=reply.published_at)


def _comments(snapshot, product, campaign):
    profiles = published.comment_profiles(snapshot, product)
    rows = (
        Response.objects.with_published_comment()
        .filter(product=product, campaign=campaign)
        .select_related("doctor")
        .order_by("-submitted_at", "-pk")
    )
    return [
        Comment(
            date=timezone.localdate(r.submitted_at) if r.submitted_at else r.created_at.date(),
            profile=str(r.doctor.public_profile) if r.doctor.practice_group in profiles else _("doctor"),
            text=r.comment,
        )
        for r in rows
    ]


def build_vendor_report(vendor, campaign, *, generated_at=None):
    """Return the VendorReport of `vendor` for `campaign`; raise ReportUnavailable without scores."""
    snapshot = published.snapshot_for_campaign(campaign)
    if snapshot is None:
        raise ReportUnavailable(
            _("The campaign %(campaign)s has no computed scores.") % {"campaign": campaign}
        )
    names = {f.slug: f.name for f in Facet.objects.all()}
    products = list(
        Product.objects.listed().filter(vendor=vendor).select_related("vendor", "category").order_by("name")
    )
    scores = published.product_scores(snapshot, products)
    products = [p for p in products if p.pk in scores]
    categories = {p.category_id for p in products}
    peers = Product.objects.filter(category_id__in=categories).select_related("vendor", "category")
    ranked = {
        r.category.pk: [row.product_id for row in r.ranked] for r in published.rankings(snapshot, peers)
    }
    facets = published.facet_scores(snapshot, [p.pk for p in products])
    entries = []
    for product in products:
        figures = scores[product.pk]
        in_category = ranked.get(product.category_id, [])
        entries.append(
            ProductReport(
                summary=_summary(snapshot, product, figures, len(in_category)),
                facets=_facet_lines(
                    snapshot,
                    product,
                    facets[product.pk],
                    [pk for pk in in_category if pk != product.pk],
                    names,
                ),
                distributions=_distributions(snapshot, product, names),
                expert_review=_expert_review(product, figures),
                reply=_reply(product),
                comments=_comments(snapshot, product, campaign),
                situation=situation_of(snapshot, product, figures),
            )
        )
    report = VendorReport(
        vendor=vendor.slug,
        vendor_name=vendor.name,
        campaign=campaign.slug,
        campaign_title=campaign.title,
        methodology_version=snapshot.methodology.version,
        min_respondents=snapshot.min_respondents,
        alpha=snapshot.alpha,
        generated_at=generated_at or timezone.now(),
        vendor_summary=_vendor_summary(snapshot, vendor),
        products=entries,
        commitments=commitment_lines(products, campaign),
    )
    digest = figures_digest(report)
    return dataclasses.replace(
        report, sha256=digest, identifier=f"{campaign.slug}-{vendor.slug}-{digest[:SHORT_HASH]}"
    )
