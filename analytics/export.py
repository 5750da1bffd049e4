"""The score export of FORMATS.md: one row per product, columns in the contract's order."""

import csv
import json

from ratings.models import FACET_SLUGS, Product

from . import published
from .models import Status

DECIMALS = 6

HEAD_COLUMNS = [
    "product",
    "vendor",
    "category",
    "n_respondents",
    "n_effective",
    "doctor_score",
    "doctor_ci_low",
    "doctor_ci_high",
    "expert_score",
    "global_score",
    "global_ci_low",
    "global_ci_high",
    "recommend_pct",
    "status",
]
FACET_SUFFIXES = ["score", "ci_low", "ci_high", "n"]
# FORMATS: after the facets, `weighting`: the strata dimensions the weights used, joined by "+"; then what
# doctors pay and their contracts (METHODOLOGY §10; empty below 10 answers).
TAIL_COLUMNS = [
    "weighting",
    "price_median",
    "price_q1",
    "price_q3",
    "price_n",
    "price_increased_pct",
    "switch_pct",
]
COLUMNS = (
    HEAD_COLUMNS + [f"{facet}_{suffix}" for facet in FACET_SLUGS for suffix in FACET_SUFFIXES] + TAIL_COLUMNS
)
# What the API adds to a row (not in the CSV contract): each §10 share's interval and n.
SHARE_DETAIL_COLUMNS = [
    f"{share}_{part}"
    for share, _label in published.SHARES
    for part in ("pct", "ci_low", "ci_high", "n")
    if f"{share}_{part}" not in TAIL_COLUMNS
]


def export_rows(snapshot, *, vendor=None):
    """Return the export of `snapshot` (analytics.published) as dicts, None where a figure is not shown."""
    products = Product.objects.select_related("vendor", "category").order_by("category__slug", "slug")
    if vendor is not None:
        products = products.filter(vendor=vendor)
    return product_rows(snapshot, list(products))


def product_rows(snapshot, products, extra=()):
    """Return the export's row of each of `products` (with vendor and category loaded), in their order.

    `extra` names more ProductFigures fields to add (the API's SHARE_DETAIL_COLUMNS). Two queries whatever
    the number of products: the public API serves a page of the catalogue this way.
    """
    ids = [p.pk for p in products]
    scores = published.product_scores(snapshot, ids) if snapshot else {}
    facets = published.facet_scores(snapshot, ids) if snapshot else {}
    columns = [*COLUMNS, *extra]
    return [
        _row(product, scores.get(product.pk), facets.get(product.pk, []), columns) for product in products
    ]


def _row(product, score, facets, columns=COLUMNS):
    row = dict.fromkeys(columns)
    row.update(product=product.slug, vendor=product.vendor.slug, category=product.category.slug)
    row["n_respondents"] = score.n_respondents if score else 0
    row["status"] = score.status if score else Status.INSUFFICIENT
    for column in columns:
        if score is not None and row[column] is None and hasattr(score, column):
            row[column] = getattr(score, column)
    for cell in facets:
        row[f"{cell.facet}_n"] = cell.n
        if not (score is None or score.is_insufficient):
            for suffix in ("score", "ci_low", "ci_high"):
                row[f"{cell.facet}_{suffix}"] = getattr(cell, suffix)
    for facet in FACET_SLUGS:
        if row[f"{facet}_n"] is None:
            row[f"{facet}_n"] = 0
    return row


def format_value(value):
    """Format one cell: empty for a missing figure, a dot and DECIMALS decimals for a real number."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}"
    return str(value)


def write_csv(rows, stream):
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([format_value(row[column]) for column in COLUMNS])


def write_json(rows, stream):
    data = [
        {
            column: (round(row[column], DECIMALS) if isinstance(row[column], float) else row[column])
            for column in COLUMNS
        }
        for row in rows
    ]
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
