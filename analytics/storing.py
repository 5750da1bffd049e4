"""Store a scoring run as a snapshot, in one transaction, replacing the campaign's earlier snapshot."""

import pandas as pd
from django.db import connection, transaction

from ratings.services import lock_methodology

from .core.columns import (
    CATALOGUE_COLUMNS,
    CATEGORY_COLUMNS,
    DISTRIBUTION_COLUMNS,
    FACET_COLUMNS,
    PRODUCT_COLUMNS,
    VENDOR_COLUMNS,
)
from .core.constants import OTHER_TOOL
from .core.subgroups import SUBGROUP_COLUMNS
from .models import (
    AnswerDistribution,
    CategoryRanking,
    FacetScore,
    ProductScore,
    ScoreSnapshot,
    SubgroupScore,
    SwitchFlow,
    VendorScore,
)

BATCH = 5_000

# What is stored is the core's output (analytics.core.columns), less the catalogue's own facts.
PRODUCT_FIELDS = [name for name in PRODUCT_COLUMNS if name not in CATALOGUE_COLUMNS]
VENDOR_FIELDS = list(VENDOR_COLUMNS)
# A facet's status follows from n and n_effective by the methodology's thresholds.
FACET_FIELDS = [name for name in FACET_COLUMNS if name != "status"]
DISTRIBUTION_FIELDS = list(DISTRIBUTION_COLUMNS)
CATEGORY_FIELDS = list(CATEGORY_COLUMNS)
SUBGROUP_FIELDS = list(SUBGROUP_COLUMNS)


def clean(value):
    """Return `value` as a plain Python value, None for NaN/NA/NaT."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _records(frame, fields):
    columns = {f: frame[f].astype(object).tolist() for f in fields}
    for i in range(len(frame)):
        yield {f: clean(columns[f][i]) for f in fields}


@transaction.atomic
def store_snapshot(*, result, campaign, methodology, make_current, n_responses, timings, weighting=""):
    """Write `result` (a core ScoreResult) as the snapshot of `campaign` and return it."""
    ScoreSnapshot.objects.filter(campaign=campaign).delete()
    if make_current:
        ScoreSnapshot.objects.filter(is_current=True).update(is_current=False)
    snapshot = ScoreSnapshot.objects.create(
        campaign=campaign,
        methodology=methodology,
        reference_date=campaign.closes_on,
        is_current=make_current,
        n_responses=n_responses,
        timings=timings,
        weighting=weighting,
    )
    products = result.products
    ProductScore.objects.bulk_create(
        (
            ProductScore(snapshot=snapshot, product_id=int(pid), **_defaults(values))
            for pid, values in zip(products.index, _records(products, PRODUCT_FIELDS), strict=True)
        ),
        batch_size=BATCH,
    )
    FacetScore.objects.bulk_create(
        (FacetScore(snapshot=snapshot, **_defaults(row)) for row in _records(result.facets, FACET_FIELDS)),
        batch_size=BATCH,
    )
    AnswerDistribution.objects.bulk_create(
        (
            AnswerDistribution(snapshot=snapshot, **row)
            for row in _records(result.distributions, DISTRIBUTION_FIELDS)
        ),
        batch_size=BATCH,
    )
    vendors = result.vendors
    VendorScore.objects.bulk_create(
        (
            VendorScore(snapshot=snapshot, vendor_id=int(vid), **_defaults(values))
            for vid, values in zip(vendors.index, _records(vendors, VENDOR_FIELDS), strict=True)
        ),
        batch_size=BATCH,
    )
    CategoryRanking.objects.bulk_create(_category_rows(snapshot, result))
    _insert(SubgroupScore, snapshot, result.subgroups, SUBGROUP_FIELDS)
    SwitchFlow.objects.bulk_create(
        SwitchFlow(
            snapshot=snapshot,
            previous_product_id=None if previous == OTHER_TOOL else int(previous),
            product_id=int(product),
            doctors=int(doctors),
        )
        for previous, product, doctors in result.flows.itertuples(index=False)
    )
    lock_methodology(methodology=methodology)
    return snapshot


def _insert(model, snapshot, frame, fields):
    """Write a long table's rows with one prepared INSERT run by `executemany`.

    A hundred thousand subgroup rows took 13 s through `bulk_create`, which prepares each field of each
    model instance; 2.3 s this way on SQLite. The import's MultiRowInsert (multi-row VALUES) took 5.4 s
    for the same rows: it pays for conflict handling these rows never need.
    """
    columns = {f: model._meta.get_field(f).column for f in fields}
    values = [frame[f].astype(object).where(frame[f].notna(), None).tolist() for f in columns]
    ints = [i for i, f in enumerate(columns) if f in ("n", "product_id")]
    for i in ints:
        values[i] = [int(v) for v in values[i]]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in ["snapshot_id", *columns.values()])
    marks = ", ".join(["%s"] * (len(columns) + 1))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # nosec B608: quoted model names only
    rows = [(snapshot.pk, *row) for row in zip(*values, strict=True)]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 4):
            cursor.executemany(sql, rows[start : start + BATCH * 4])


def _defaults(values):
    """Fill the non-nullable fields a core table may leave empty; name the product by its id field."""
    values = dict(values)
    if "product_id" in values:
        values["product_id"] = int(values["product_id"])
    for flag, default in (
        ("balanced", True),
        ("expert_only", False),
        ("tied_first", False),
        ("escalate", False),
        ("tau2_borrowed", False),
    ):
        if flag in values and values[flag] is None:
            values[flag] = default
    for count in ("n_respondents", "n_flagged", "n_products", "n"):
        if count in values:
            values[count] = int(values[count] or 0)
    if values.get("weighting") is None and "weighting" in values:
        values["weighting"] = ""
    if values.get("rank") is not None:
        values["rank"] = int(values["rank"])
    return values


def _category_rows(snapshot, result):
    categories = result.categories
    return [
        CategoryRanking(snapshot=snapshot, category_id=int(category_id), **_defaults(values))
        for category_id, values in zip(categories.index, _records(categories, CATEGORY_FIELDS), strict=True)
    ]
