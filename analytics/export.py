"""The score export of FORMATS.md: one row per product, columns in the contract's order."""

import csv
import json

from ratings.models import FACET_SLUGS, Product

from .models import FacetScore, ProductScore, Status

# Below this many answers a facet's figures are a breakdown too small to publish (DOMAIN.md).
MIN_BREAKDOWN = 5
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
COLUMNS = HEAD_COLUMNS + [f"{facet}_{suffix}" for facet in FACET_SLUGS for suffix in FACET_SUFFIXES]


def export_rows(snapshot, *, vendor=None):
    """Return the export as a list of dicts (None where a figure cannot be computed)."""
    products = Product.objects.select_related("vendor", "category").order_by("category__slug", "slug")
    if vendor is not None:
        products = products.filter(vendor=vendor)
    scores = {s.product_id: s for s in ProductScore.objects.filter(snapshot=snapshot)} if snapshot else {}
    facets = {}
    if snapshot:
        for row in FacetScore.objects.filter(snapshot=snapshot, product__in=products):
            facets[(row.product_id, row.facet)] = row
    return [_row(product, scores.get(product.pk), facets) for product in products]


def _row(product, score, facets):
    row = dict.fromkeys(COLUMNS)
    row.update(product=product.slug, vendor=product.vendor.slug, category=product.category.slug)
    row["n_respondents"] = score.n_respondents if score else 0
    row["status"] = score.status if score else Status.INSUFFICIENT
    if score is not None:
        shown = score.status != Status.INSUFFICIENT
        for field in ("n_effective", "doctor_score", "doctor_ci_low", "doctor_ci_high", "recommend_pct"):
            row[field] = getattr(score, field) if shown else None
        for field in ("expert_score", "global_score", "global_ci_low", "global_ci_high"):
            row[field] = getattr(score, field)
    for facet in FACET_SLUGS:
        cell = facets.get((product.pk, facet))
        row[f"{facet}_n"] = cell.n if cell else 0
        if cell is not None and cell.n >= MIN_BREAKDOWN and row["status"] != Status.INSUFFICIENT:
            row[f"{facet}_score"] = cell.score
            row[f"{facet}_ci_low"] = cell.ci_low
            row[f"{facet}_ci_high"] = cell.ci_high
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
