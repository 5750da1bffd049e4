"""Charts of the public pages: draw the read API's figures with `analytics.core.charts`, return HTML pieces.

Each chart comes with the same figures as rows for an HTML table, the alternative for screen
readers and for readers without JavaScript. plotly.js itself is served by the site (static files).

A chart's HTML is an empty element and its figure as JSON data (`<script type="application/json">`):
no inline script, so plotly.js and the drawing script (`js/charts.js`) load with `defer` and never
block the page, and a Content-Security-Policy need not allow inline scripts.
"""

import json
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from ratings.models import Facet

from .core import charts as core_charts

# No mode bar: its buttons are focusable inside content hidden from assistive technology, and its
# "share" button uploads the chart to an outside host. The table beside each chart carries its data.
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}
# What keeps JSON inside a <script> element from ending it or opening markup (as Django's json_script).
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


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
            # The groups that merge levels answered by too few doctors (METHODOLOGY §9).
            "band_1_2": _("1–2 – poor"),
            "band_4_5": _("4–5 – good"),
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


def figure_html(chart_id, figure):
    """Return the element `js/charts.js` draws the figure in, and the figure and its config as JSON data."""
    payload = f'{{"figure": {figure.to_json()}, "config": {json.dumps(PLOTLY_CONFIG)}}}'.translate(
        _SCRIPT_SAFE
    )
    return (
        f'<div id="{chart_id}" class="js-chart" data-figure="{chart_id}-data"></div>'
        f'<script type="application/json" id="{chart_id}-data">{payload}</script>'
    )


def _render(chart_id, caption, figure):
    rows = {str(y) for trace in figure.data if trace.orientation == "h" for y in trace.y}
    figure.update_layout(height=max(320, 60 + 38 * len(rows)))
    html = figure_html(chart_id, figure)
    return Chart(id=chart_id, caption=caption, html=html, rows=core_charts.table_rows(figure))


def _facet_frame(cells):
    """Return the shown facet cells (FacetFigures of the read API) as the frame the core draws."""
    return pd.DataFrame(
        [
            {"product_id": c.product_id, "facet": c.facet, "score": c.score, "ci_low": c.ci_low,
             "ci_high": c.ci_high, "n": c.n}
            for c in cells
            if c.is_shown
        ],
        columns=["product_id", "facet", "score", "ci_low", "ci_high", "n"],
    )  # fmt: skip


def product_charts(score, facets, distributions, history):
    """Return the charts of one product page from the read API's figures: facets, answers, trend.

    `score` is the product's ProductFigures, `facets` its FacetFigures, `distributions` its
    {facet: [Band]} and `history` its HistoryPoints (analytics.published).
    """
    if score is None or score.is_insufficient:
        return []
    labels = chart_labels()
    charts = []
    frame = _facet_frame(facets)
    if not frame.empty:
        charts.append(
            _render(
                f"chart-facets-{score.product_id}",
                # xgettext:no-python-format
                _("Doctors' score per facet, with its 95% interval"),
                core_charts.facet_scores_figure(frame, labels=labels),
            )
        )
    distribution = pd.DataFrame(
        [
            {"facet": facet, "level_low": b.level_low, "level_high": b.level_high, "share": b.share,
             "count": b.count}
            for facet, bands in distributions.items()
            for b in bands
        ],
        columns=["facet", "level_low", "level_high", "share", "count"],
    )  # fmt: skip
    if not distribution.empty:
        charts.append(
            _render(
                f"chart-distribution-{score.product_id}",
                _("How doctors answered, facet by facet (weighted shares)"),
                core_charts.distribution_figure(distribution, labels=labels),
            )
        )
    trend = pd.DataFrame(
        [
            {"campaign": p.campaign.title, "score": p.doctor_score, "ci_low": p.doctor_ci_low,
             "ci_high": p.doctor_ci_high, "n": p.n_respondents}
            for p in history
        ]
    )  # fmt: skip
    if len(trend) >= 2:
        charts.append(
            _render(
                f"chart-trend-{score.product_id}",
                # xgettext:no-python-format
                _("Doctors' score across campaigns, with its 95% interval"),
                core_charts.trend_figure(trend, labels=labels),
            )
        )
    return charts


def comparison_chart(products, facets):
    """Return the chart comparing 2–4 products facet by facet ({product id: [FacetFigures]}), or None."""
    if not 2 <= len(products) <= 4:
        return None
    frame = _facet_frame([cell for p in products for cell in facets.get(p.pk, [])])
    if frame.empty:
        return None
    return _render(
        "chart-compare",
        # xgettext:no-python-format
        _("Facet scores of the compared tools, with their 95% intervals"),
        core_charts.comparison_figure(frame, {p.pk: p.name for p in products}, labels=chart_labels()),
    )
