"""The report as one standalone HTML document (inline CSS, A4 print rules), from which the PDF is printed."""

from __future__ import annotations

import pandas as pd
from django.template import Context, Engine

from analytics.charts import chart_labels
from analytics.core import charts as core_charts
from analytics.staticfiles import PLOTLY_FILE, PLOTLY_STATIC_PATH

TEMPLATE = "cms/reports/vendor_report.html"
# Charts are drawn once, at the width they get on an A4 page (180 mm at 96 px per inch), with no toolbar.
CHART_CONFIG = {"staticPlot": True, "displayModeBar": False, "responsive": False}
CHART_WIDTH = 680
CHART_ROW_HEIGHT = 34

# Its own engine, so the report's filters need no templatetags module of the site.
_ENGINE = Engine(
    app_dirs=True,
    libraries={
        "i18n": "django.templatetags.i18n",
        "l10n": "django.templatetags.l10n",
        "report": "cms.reports.formatting",
    },
)


def plotly_source(static_base_url=None):
    """Return the URL of plotly.js: under `static_base_url` when given, else the installed file."""
    if static_base_url:
        return f"{static_base_url.rstrip('/')}/{PLOTLY_STATIC_PATH}"
    return PLOTLY_FILE.as_uri()


def facet_chart(entry, labels):
    """Return the HTML of a product's facet chart against its category, or "" without a score to draw."""
    facets = pd.DataFrame(
        [
            {"facet": f.facet, "score": f.score, "ci_low": f.ci_low, "ci_high": f.ci_high, "n": f.n}
            for f in entry.facets
            if f.score is not None
        ],
        columns=["facet", "score", "ci_low", "ci_high", "n"],
    )
    if facets.empty:
        return ""
    benchmarks = pd.DataFrame(
        [
            {"facet": f.facet, "q1": f.category_q1, "median": f.category_median, "q3": f.category_q3}
            for f in entry.facets
            if f.category_median is not None
        ],
        columns=["facet", "q1", "median", "q3"],
    )
    figure = core_charts.facet_benchmark_figure(facets, benchmarks, labels=labels)
    rows = len(set(facets["facet"]) | set(benchmarks["facet"]))
    figure.update_layout(width=CHART_WIDTH, height=120 + CHART_ROW_HEIGHT * rows, font={"size": 11})
    return figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-facets-{entry.summary.product}",
        config=CHART_CONFIG,
    )


def distribution_rows(report):
    """Return one row per product and facet, {product, facet_name, bands}, in the report's order.

    A facet whose distribution may not be shown (§9) keeps its row, with no bands.
    """
    rows = {}
    for entry in report.products:
        product = entry.summary.product
        for facet in entry.facets:
            rows[product, facet.facet] = {"product": product, "facet_name": facet.facet_name, "bands": []}
        for band in entry.distributions:
            key = (product, band.facet)
            row = rows.setdefault(key, {"product": product, "facet_name": band.facet_name, "bands": []})
            row["bands"].append(band)
    return list(rows.values())


def key_points(report):
    """Return one row per product: {summary, higher, lower}, the facets it is significantly above or below."""
    return [
        {
            "summary": entry.summary,
            "higher": [f.facet_name for f in entry.facets if f.verdict == "higher"],
            "lower": [f.facet_name for f in entry.facets if f.verdict == "lower"],
        }
        for entry in report.products
    ]


def render_report_html(report, *, static_base_url=None):
    """Return the report as a full HTML document.

    plotly.js is loaded from `static_base_url` (a site's STATIC_URL, absolute, or a file:// folder laid
    out as the static files) or, without one, from the installed plotly package as a file:// URL.
    """
    labels = chart_labels()
    products = [(entry, facet_chart(entry, labels)) for entry in report.products]
    context = {
        "report": report,
        "products": products,
        "distribution_rows": distribution_rows(report),
        "key_points": key_points(report),
        "plotly_src": plotly_source(static_base_url),
        "has_charts": any(chart for _, chart in products),
    }
    return _ENGINE.get_template(TEMPLATE).render(Context(context, autoescape=True))
