"""Plotly figures of scores, with an accessible table of the same data.

Pure functions: frames in, `plotly.graph_objects.Figure` out. Labels are French by default and
every one can be replaced through `labels` (the caller translates). Callers render the figure
(its JSON for the site's pages, `fig.to_html(include_plotlyjs=False)` for the reports); the site serves
plotly.js itself.
Every data trace carries [ci_low, ci_high, n] in `customdata`, which `table_rows` reads back.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import constants as c

LABELS_FR = {
    "ease_of_use": "Facilité d'utilisation",
    "reliability": "Fiabilité",
    "features": "Fonctionnalités",
    "support": "Support et assistance",
    "value_for_money": "Rapport qualité-prix",
    "interoperability": "Interopérabilité",
    "data_protection": "Protection des données",
    "independence": "Indépendance et éthique",
    "level_1": "1 – Très mauvais",
    "level_2": "2 – Mauvais",
    "level_3": "3 – Moyen",
    "level_4": "4 – Bon",
    "level_5": "5 – Excellent",
    "band_1_2": "1–2 – Mauvais",
    "band_4_5": "4–5 – Bon",
    "score": "Score",
    "score_axis": "Score (de 1 à 5)",
    "share_axis": "Part des réponses (%)",
    "campaign_axis": "Campagne",
    "interval": "Intervalle de confiance à 95 %",
    "respondents": "Répondants",
    "share": "Part",
    "product_score": "Score du produit (intervalle à 95 %)",
    "category_quartiles": "Catégorie : 1er au 3e quartile",
    "category_median": "Catégorie : médiane",
}

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
# Diverging scale for the answer levels 1 (very poor) to 5 (excellent), and for the groups that
# merge them (§9): "poor" and "good" between the colours of the levels they hold.
LEVEL_COLOURS = ("#B2182B", "#EF8A62", "#BDBDBD", "#67A9CF", "#2166AC")
BAND_COLOURS = {(1, 2): "#D6604D", (4, 5): "#4393C3"}
BAND_COLOUR = "rgba(0, 114, 178, 0.18)"


def _labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    return {**LABELS_FR, **(labels or {})}


def _layout(fig: go.Figure, title: str | None, **axes) -> go.Figure:
    fig.update_layout(
        title=title,
        template="simple_white",
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        legend={"orientation": "h", "y": -0.2},
        **axes,
    )
    # Long facet names and ticks push the margins out rather than being cut (a 390 px screen).
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def _custom(frame: pd.DataFrame) -> np.ndarray:
    n = frame["n"] if "n" in frame.columns else pd.Series(np.nan, index=frame.index)
    return np.column_stack(
        [frame["ci_low"].to_numpy(float), frame["ci_high"].to_numpy(float), n.to_numpy(float)]
    )


def _hover(lab: dict[str, str]) -> str:
    return (
        f"%{{y}}<br>{lab['score']} : %{{x:.2f}}<br>{lab['interval']} : "
        f"%{{customdata[0]:.2f}} – %{{customdata[1]:.2f}}<br>{lab['respondents']} : %{{customdata[2]}}<extra></extra>"
    )


def _facet_order(frame: pd.DataFrame) -> pd.DataFrame:
    rank = {f: i for i, f in enumerate(c.FACETS)}
    return frame.assign(_order=frame["facet"].map(rank)).sort_values("_order").drop(columns="_order")


def _facet_bars(data: pd.DataFrame, lab: dict[str, str], *, name: str, colour: str, hover: str) -> go.Bar:
    """Return horizontal bars of facet scores with their asymmetric 95% error bars."""
    score = data["score"].to_numpy(float)
    return go.Bar(
        name=name,
        orientation="h",
        x=score,
        y=[lab.get(f, f) for f in data["facet"]],
        marker_color=colour,
        error_x={
            "type": "data",
            "symmetric": False,
            "array": data["ci_high"].to_numpy(float) - score,
            "arrayminus": score - data["ci_low"].to_numpy(float),
            "color": "#333333",
        },
        customdata=_custom(data),
        hovertemplate=hover,
    )


def facet_scores_figure(
    facets: pd.DataFrame, labels: Mapping[str, str] | None = None, title: str | None = None
) -> go.Figure:
    """Horizontal bars of the facet scores of one product, with asymmetric 95% error bars.

    `facets` has columns facet, score, ci_low, ci_high and optionally n; facets without a score
    (too few answers) are left out of the chart.
    """
    lab = _labels(labels)
    data = _facet_order(facets.dropna(subset=["score"]))
    fig = go.Figure(_facet_bars(data, lab, name=lab["score"], colour=PALETTE[0], hover=_hover(lab)))
    return _layout(
        fig,
        title,
        xaxis={"title": lab["score_axis"], "range": [c.LOW, c.HIGH]},
        yaxis={"autorange": "reversed"},
    )


def _band_key(low: int, high: int) -> str:
    return f"level_{low}" if low == high else f"band_{low}_{high}"


def _band_colour(low: int, high: int) -> str:
    return LEVEL_COLOURS[low - int(c.LOW)] if low == high else BAND_COLOURS.get((low, high), "#999999")


def distribution_figure(
    distributions: pd.DataFrame, labels: Mapping[str, str] | None = None, title: str | None = None
) -> go.Figure:
    """100% stacked horizontal bars of the answers to each facet of one product.

    `distributions` is long: facet, level_low, level_high (a level shown on its own has both
    equal, a merged group 1-2 or 4-5 has not; a plain `level` column is read as both), share
    (0-1), and optionally count. Each facet is drawn with the bands it has, its five levels or its
    three groups (§9): a trace per band, holding only the facets that have it.
    """
    lab = _labels(labels)
    data = _facet_order(distributions)
    if "level_low" not in data.columns:
        data = data.assign(level_low=data["level"], level_high=data["level"])
    facets = list(dict.fromkeys(data["facet"]))
    names = [lab.get(f, f) for f in facets]
    fig = go.Figure()
    bands = data[["level_low", "level_high"]].drop_duplicates().sort_values(["level_low", "level_high"])
    for low, high in bands.itertuples(index=False):
        part = data[(data["level_low"] == low) & (data["level_high"] == high)]
        count = part["count"] if "count" in part.columns else pd.Series(np.nan, index=part.index)
        name = lab[_band_key(low, high)]
        fig.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                x=100.0 * part["share"].to_numpy(float),
                y=[lab.get(f, f) for f in part["facet"]],
                marker_color=_band_colour(low, high),
                customdata=np.column_stack([np.full(len(part), np.nan)] * 2 + [count.to_numpy(float)]),
                hovertemplate=f"%{{y}}<br>{name} : %{{x:.0f}} %<extra></extra>",
            )
        )
    return _layout(
        fig,
        title,
        barmode="stack",
        xaxis={"title": lab["share_axis"], "range": [0, 100]},
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": names},
    )


def trend_figure(
    trend: pd.DataFrame, labels: Mapping[str, str] | None = None, title: str | None = None
) -> go.Figure:
    """Score across campaigns with its 95% interval drawn as a filled band.

    `trend` has columns campaign (label, in chronological order), score, ci_low, ci_high and
    optionally n.
    """
    lab = _labels(labels)
    data = trend.dropna(subset=["score"])
    x = data["campaign"].astype(str).tolist()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=data["ci_high"],
            mode="lines",
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
            meta="band",
        )
    )
    fig.add_trace(
        go.Scatter(
            name=lab["interval"],
            x=x,
            y=data["ci_low"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=BAND_COLOUR,
            hoverinfo="skip",
            meta="band",
        )
    )
    fig.add_trace(
        go.Scatter(
            name=lab["score"],
            x=x,
            y=data["score"],
            mode="lines+markers",
            line={"color": PALETTE[0], "width": 2},
            customdata=_custom(data),
            hovertemplate=(
                f"%{{x}}<br>{lab['score']} : %{{y:.2f}}<br>{lab['interval']} : "
                f"%{{customdata[0]:.2f}} – %{{customdata[1]:.2f}}<extra></extra>"
            ),
        )
    )
    return _layout(
        fig,
        title,
        xaxis={"title": lab["campaign_axis"]},
        yaxis={"title": lab["score_axis"], "range": [c.LOW, c.HIGH]},
    )


def comparison_figure(
    facets: pd.DataFrame,
    product_names: Mapping[int, str],
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """Grouped horizontal bars comparing the facet scores of 2 to 4 products, with 95% error bars.

    `facets` is long: product_id, facet, score, ci_low, ci_high (optionally n); `product_names`
    maps each compared product id to its display name, in display order.
    """
    if not 2 <= len(product_names) <= 4:
        raise ValueError("a comparison shows 2 to 4 products")
    lab = _labels(labels)
    fig = go.Figure()
    for (product_id, name), colour in zip(product_names.items(), PALETTE, strict=False):
        data = _facet_order(facets[(facets["product_id"] == product_id)].dropna(subset=["score"]))
        fig.add_trace(_facet_bars(data, lab, name=name, colour=colour, hover=f"{name}<br>" + _hover(lab)))
    return _layout(
        fig,
        title,
        barmode="group",
        xaxis={"title": lab["score_axis"], "range": [c.LOW, c.HIGH]},
        yaxis={"autorange": "reversed"},
    )


def facet_benchmark_figure(
    facets: pd.DataFrame,
    benchmarks: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """A product's facet scores with their 95% intervals over its category's quartile band and median.

    `facets` has columns facet, score, ci_low, ci_high (optionally n); `benchmarks` has facet, q1,
    median, q3. Told apart without colour: the band is hatched, the median a bar mark, the product
    a diamond with its interval.
    """
    lab = _labels(labels)
    data = _facet_order(facets.dropna(subset=["score"]))
    bench = _facet_order(benchmarks.dropna(subset=["median"]))
    shown = [f for f in c.FACETS if f in set(data["facet"]) | set(bench["facet"])]
    names = [lab.get(f, f) for f in shown]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name=lab["category_quartiles"],
            orientation="h",
            base=bench["q1"].to_numpy(float),
            x=(bench["q3"] - bench["q1"]).to_numpy(float),
            y=[lab.get(f, f) for f in bench["facet"]],
            marker={"color": "#DDDDDD", "line": {"color": "#555555", "width": 1}, "pattern": {"shape": "/"}},
            hoverinfo="skip",
            meta="band",
        )
    )
    fig.add_trace(
        go.Scatter(
            name=lab["category_median"],
            orientation="h",
            mode="markers",
            x=bench["median"].to_numpy(float),
            y=[lab.get(f, f) for f in bench["facet"]],
            marker={"symbol": "line-ns-open", "size": 22, "color": "#000000", "line": {"width": 3}},
            customdata=np.column_stack([bench["q1"].to_numpy(float), bench["q3"].to_numpy(float),
                                        np.full(len(bench), np.nan)]),
            hovertemplate=f"%{{y}}<br>{lab['category_median']} : %{{x:.2f}}<extra></extra>",
        )
    )  # fmt: skip
    score = data["score"].to_numpy(float)
    fig.add_trace(
        go.Scatter(
            name=lab["product_score"],
            orientation="h",
            mode="markers",
            x=score,
            y=[lab.get(f, f) for f in data["facet"]],
            marker={
                "symbol": "diamond",
                "size": 11,
                "color": PALETTE[0],
                "line": {"color": "#000000", "width": 1},
            },
            error_x={
                "type": "data",
                "symmetric": False,
                "array": data["ci_high"].to_numpy(float) - score,
                "arrayminus": score - data["ci_low"].to_numpy(float),
                "color": "#000000",
                "thickness": 1.5,
            },
            customdata=_custom(data),
            hovertemplate=_hover(lab),
        )
    )
    return _layout(
        fig,
        title,
        xaxis={"title": lab["score_axis"], "range": [c.LOW, c.HIGH]},
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": names},
    )


def _none_if_nan(value):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def table_rows(fig: go.Figure) -> list[dict]:
    """Return the data drawn in a figure as rows for an accessible HTML table.

    One row per drawn point: series (trace name), category (facet or campaign label), value,
    ci_low, ci_high, n (None where not applicable). Interval bands are not separate rows: each
    point carries its own interval.
    """
    rows = []
    for trace in fig.data:
        if trace.meta == "band":
            continue
        horizontal = getattr(trace, "orientation", None) == "h"
        values, categories = (trace.x, trace.y) if horizontal else (trace.y, trace.x)
        custom = trace.customdata if trace.customdata is not None else [[None, None, None]] * len(values)
        for category, value, extra in zip(categories, values, custom, strict=True):
            low, high, n = (_none_if_nan(float(v)) if v is not None else None for v in extra)
            rows.append(
                {
                    "series": trace.name,
                    "category": category,
                    "value": _none_if_nan(float(value)) if value is not None else None,
                    "ci_low": low,
                    "ci_high": high,
                    "n": int(n) if n is not None else None,
                }
            )
    return rows
