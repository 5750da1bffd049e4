"""Plotly figures and their accessible table (analytics.core.charts)."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics.core import charts

FACETS = pd.DataFrame(
    {
        "facet": ["reliability", "ease_of_use", "support"],
        "score": [4.1, 3.2, None],
        "ci_low": [3.8, 2.9, None],
        "ci_high": [4.4, 3.6, None],
        "n": [30, 28, 3],
    }
)


def test_facet_scores_have_asymmetric_error_bars_in_facet_order():
    fig = charts.facet_scores_figure(FACETS)
    assert isinstance(fig, go.Figure)
    (bar,) = fig.data
    assert bar.orientation == "h"
    assert list(bar.y) == ["Facilité d'utilisation", "Fiabilité"]  # methodology order; no score, no bar
    assert not bar.error_x.symmetric
    assert list(bar.error_x.array) == pytest.approx([0.4, 0.3])
    assert list(bar.error_x.arrayminus) == pytest.approx([0.3, 0.3])
    assert fig.layout.xaxis.title.text == "Score (de 1 à 5)"


def test_labels_are_replaceable():
    fig = charts.facet_scores_figure(
        FACETS, labels={"reliability": "Reliability", "score_axis": "Score (1-5)"}
    )
    assert "Reliability" in fig.data[0].y
    assert fig.layout.xaxis.title.text == "Score (1-5)"


def test_distribution_is_a_stack_of_five_levels():
    dist = pd.DataFrame(
        {
            "facet": ["support"] * 5 + ["reliability"] * 5,
            "level": [1, 2, 3, 4, 5] * 2,
            "share": [0.1, 0.1, 0.2, 0.3, 0.3, 0.0, 0.0, 0.0, 0.5, 0.5],
            "count": [1, 1, 2, 3, 3, 0, 0, 0, 5, 5],
        }
    )
    fig = charts.distribution_figure(dist)
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == [
        "1 – Très mauvais",
        "2 – Mauvais",
        "3 – Moyen",
        "4 – Bon",
        "5 – Excellent",
    ]
    assert list(fig.data[3].x) == pytest.approx([50.0, 30.0])  # reliability first, then support
    rows = charts.table_rows(fig)
    assert len(rows) == 10
    assert rows[0] == {
        "series": "1 – Très mauvais",
        "category": "Fiabilité",
        "value": 0.0,
        "ci_low": None,
        "ci_high": None,
        "n": 0,
    }


def test_distribution_draws_each_facet_with_its_own_bands():
    # Reliability shows its five levels, support its three groups (METHODOLOGY §9).
    dist = pd.DataFrame(
        {
            "facet": ["support"] * 3 + ["reliability"] * 5,
            "level_low": [1, 3, 4, 1, 2, 3, 4, 5],
            "level_high": [2, 3, 5, 1, 2, 3, 4, 5],
            "share": [0.25, 0.25, 0.5, 0.0, 0.0, 0.0, 0.5, 0.5],
            "count": [5, 5, 10, 0, 0, 0, 5, 5],
        }
    )
    fig = charts.distribution_figure(dist, labels={"band_1_2": "1–2 poor", "band_4_5": "4–5 good"})
    assert [t.name for t in fig.data] == [
        "1 – Très mauvais",
        "1–2 poor",
        "2 – Mauvais",
        "3 – Moyen",
        "4 – Bon",
        "4–5 good",
        "5 – Excellent",
    ]
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["1–2 poor"].y) == ["Support et assistance"]
    assert list(by_name["3 – Moyen"].y) == ["Fiabilité", "Support et assistance"]
    assert list(by_name["3 – Moyen"].x) == pytest.approx([0.0, 25.0])
    assert by_name["4–5 good"].marker.color != by_name["4 – Bon"].marker.color
    assert list(fig.layout.yaxis.categoryarray) == ["Fiabilité", "Support et assistance"]
    rows = charts.table_rows(fig)
    assert len(rows) == 8
    assert {"series": "4–5 good", "category": "Support et assistance", "value": 50.0, "ci_low": None,
            "ci_high": None, "n": 10} in rows  # fmt: skip


def test_trend_has_an_interval_band():
    trend = pd.DataFrame(
        {"campaign": ["Printemps 2024", "Automne 2024", "Printemps 2025"], "score": [3.5, None, 3.9],
         "ci_low": [3.2, None, 3.6], "ci_high": [3.8, None, 4.2], "n": [40, 3, 55]}
    )  # fmt: skip
    fig = charts.trend_figure(trend)
    band = [t for t in fig.data if t.fill == "tonexty"]
    assert len(band) == 1 and band[0].name == "Intervalle de confiance à 95 %"
    assert list(band[0].y) == [3.2, 3.6]
    rows = charts.table_rows(fig)
    assert rows == [
        {
            "series": "Score",
            "category": "Printemps 2024",
            "value": 3.5,
            "ci_low": 3.2,
            "ci_high": 3.8,
            "n": 40,
        },
        {
            "series": "Score",
            "category": "Printemps 2025",
            "value": 3.9,
            "ci_low": 3.6,
            "ci_high": 4.2,
            "n": 55,
        },
    ]


def test_comparison_groups_two_to_four_products():
    facets = pd.DataFrame(
        {
            "product_id": [1, 1, 2, 2],
            "facet": ["reliability", "support"] * 2,
            "score": [4.0, 3.0, 3.5, 3.8],
            "ci_low": [3.7, 2.5, 3.1, 3.5],
            "ci_high": [4.3, 3.4, 3.9, 4.1],
        }
    )
    fig = charts.comparison_figure(facets, {2: "Agenda B", 1: "Agenda A"})
    assert fig.layout.barmode == "group"
    assert [t.name for t in fig.data] == ["Agenda B", "Agenda A"]
    assert all(t.error_x.array is not None for t in fig.data)
    assert charts.table_rows(fig)[0] == {
        "series": "Agenda B",
        "category": "Fiabilité",
        "value": 3.5,
        "ci_low": 3.1,
        "ci_high": 3.9,
        "n": None,
    }
    with pytest.raises(ValueError):
        charts.comparison_figure(facets, {1: "Agenda A"})


def test_figures_render_without_embedding_plotly_js():
    html = charts.facet_scores_figure(FACETS).to_html(full_html=False, include_plotlyjs=False)
    assert "<div" in html and "plotly.min.js" not in html and len(html) < 20_000
