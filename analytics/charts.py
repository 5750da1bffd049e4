"""Charts of the public pages: read a snapshot, draw with `analytics.core.charts`, return HTML pieces.

Each chart comes with the same figures as rows for an HTML table, the alternative for screen
readers and for readers without JavaScript. plotly.js itself is served by the site (static files).
"""

from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from ratings.models import Facet

from .core import charts as core_charts
from .export import MIN_BREAKDOWN
from .models import AnswerDistribution, FacetScore, ProductScore, Status

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


@dataclass
class Chart:
    """A drawn chart: its HTML, a caption, and its data as table rows."""

    id: str
    caption: str
    html: str
    rows: list


def chart_labels():
    """Return the chart labels in the reader's language (facet names come from the catalogue)."""
    labels = {f.slug: f.name for f in Facet.objects.all()}
    labels.update(
        {
            "level_1": _("1 – very poor"),
            "level_2": _("2 – poor"),
            "level_3": _("3 – fair"),
            "level_4": _("4 – good"),
            "level_5": _("5 – excellent"),
            "score": _("Score"),
            "score_axis": _("Score (1 to 5)"),
            "share_axis": _("Share of answers (%)"),
            "campaign_axis": _("Campaign"),
            # xgettext:no-python-format
            "interval": _("95% confidence interval"),
            "respondents": _("Respondents"),
            "share": _("Share"),
        }
    )
    return labels


def _render(chart_id, caption, figure):
    rows = {str(y) for trace in figure.data if trace.orientation == "h" for y in trace.y}
    figure.update_layout(height=max(320, 60 + 38 * len(rows)))
    html = figure.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id, config=PLOTLY_CONFIG)
    return Chart(id=chart_id, caption=caption, html=html, rows=core_charts.table_rows(figure))


def _facet_frame(rows):
    return pd.DataFrame(
        [
            {"product_id": r.product_id, "facet": r.facet, "score": r.score, "ci_low": r.ci_low, "ci_high": r.ci_high,
             "n": r.n}
            for r in rows
            if r.score is not None and r.n >= MIN_BREAKDOWN
        ],
        columns=["product_id", "facet", "score", "ci_low", "ci_high", "n"],
    )  # fmt: skip


def product_charts(snapshot, product, score):
    """Return the charts of one product page: facet scores, answer distribution, trend."""
    if snapshot is None or score is None or score.status == Status.INSUFFICIENT:
        return []
    labels = chart_labels()
    charts = []
    facets = _facet_frame(FacetScore.objects.filter(snapshot=snapshot, product=product))
    if not facets.empty:
        charts.append(
            _render(
                f"chart-facets-{product.pk}",
                # xgettext:no-python-format
                _("Doctors' score per facet, with its 95% interval"),
                core_charts.facet_scores_figure(facets, labels=labels),
            )
        )
    distribution = pd.DataFrame(
        AnswerDistribution.objects.filter(snapshot=snapshot, product=product).values(
            "facet", "level", "share", "count"
        )
    )
    if not distribution.empty:
        answered = distribution.groupby("facet")["count"].transform("sum")
        distribution = distribution[answered >= MIN_BREAKDOWN]
    if not distribution.empty:
        charts.append(
            _render(
                f"chart-distribution-{product.pk}",
                _("How doctors answered, facet by facet (weighted shares)"),
                core_charts.distribution_figure(distribution, labels=labels),
            )
        )
    history = (
        ProductScore.objects.filter(product=product, doctor_score__isnull=False)
        .exclude(status=Status.INSUFFICIENT)
        .select_related("snapshot__campaign")
        .order_by("snapshot__campaign__closes_on")
    )
    trend = pd.DataFrame(
        [
            {"campaign": s.snapshot.campaign.title, "score": s.doctor_score, "ci_low": s.doctor_ci_low,
             "ci_high": s.doctor_ci_high, "n": s.n_respondents}
            for s in history
        ]
    )  # fmt: skip
    if len(trend) >= 2:
        charts.append(
            _render(
                f"chart-trend-{product.pk}",
                # xgettext:no-python-format
                _("Doctors' score across campaigns, with its 95% interval"),
                core_charts.trend_figure(trend, labels=labels),
            )
        )
    return charts


def comparison_chart(snapshot, products):
    """Return the chart comparing 2–4 products facet by facet, or None when there is nothing to draw."""
    if snapshot is None or not 2 <= len(products) <= 4:
        return None
    facets = _facet_frame(FacetScore.objects.filter(snapshot=snapshot, product__in=products))
    if facets.empty:
        return None
    return _render(
        "chart-compare",
        # xgettext:no-python-format
        _("Facet scores of the compared tools, with their 95% intervals"),
        core_charts.comparison_figure(facets, {p.pk: p.name for p in products}, labels=chart_labels()),
    )
