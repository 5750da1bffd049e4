"""Store a scoring run as a snapshot, in one transaction, replacing the campaign's earlier snapshot."""

import pandas as pd
from django.db import transaction

from ratings.services import lock_methodology

from .models import (
    AnswerDistribution,
    CategoryRanking,
    FacetScore,
    ProductScore,
    ScoreSnapshot,
    VendorScore,
)

BATCH = 5_000

PRODUCT_FIELDS = [
    "n_respondents",
    "n_effective",
    "design_effect",
    "doctor_score",
    "doctor_ci_low",
    "doctor_ci_high",
    "doctor_variance",
    "recommend_pct",
    "recommend_ci_low",
    "recommend_ci_high",
    "net_recommendation",
    "status",
    "balanced",
    "weighting",
    "expert_score",
    "expert_only",
    "global_score",
    "global_ci_low",
    "global_ci_high",
    "shrunk_score",
    "ranked_score",
    "rank",
    "rank_low",
    "rank_high",
    "p_top3",
    "tied_first",
    "n_flagged",
    "score_without_flagged",
    "escalate",
]
VENDOR_FIELDS = PRODUCT_FIELDS[:14]


def clean(value):
    """Return `value` as a plain Python value, None for NaN/NA/NaT."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _records(frame, fields):
    present = [f for f in fields if f in frame.columns]
    columns = {f: frame[f].astype(object).tolist() for f in present}
    for i in range(len(frame)):
        yield {f: clean(columns[f][i]) for f in present}


@transaction.atomic
def store_snapshot(*, result, campaign, methodology, make_current, n_responses, timings):
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
    )
    products = result.products
    ProductScore.objects.bulk_create(
        (
            ProductScore(snapshot=snapshot, product_id=int(pid), **_defaults(values))
            for pid, values in zip(products.index, _records(products, PRODUCT_FIELDS), strict=True)
        ),
        batch_size=BATCH,
    )
    facets = result.facets
    FacetScore.objects.bulk_create(
        (
            FacetScore(
                snapshot=snapshot,
                product_id=int(row["product_id"]),
                facet=row["facet"],
                score=row.get("score"),
                ci_low=row.get("ci_low"),
                ci_high=row.get("ci_high"),
                n=int(row.get("n") or 0),
                n_effective=row.get("n_effective"),
            )
            for row in _records(
                facets, ["product_id", "facet", "score", "ci_low", "ci_high", "n", "n_effective"]
            )
        ),
        batch_size=BATCH,
    )
    AnswerDistribution.objects.bulk_create(
        (
            AnswerDistribution(
                snapshot=snapshot,
                product_id=int(row["product_id"]),
                facet=row["facet"],
                level_low=int(row["level_low"]),
                level_high=int(row["level_high"]),
                share=float(row["share"]),
                count=int(row["count"]),
            )
            for row in _records(
                result.distributions, ["product_id", "facet", "level_low", "level_high", "share", "count"]
            )
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
    lock_methodology(methodology=methodology)
    return snapshot


def _defaults(values):
    """Fill the non-nullable fields a core table may leave empty."""
    values = dict(values)
    for flag in ("balanced",):
        if values.get(flag) is None and flag in values:
            values[flag] = True
    for flag in ("expert_only", "tied_first", "escalate"):
        if values.get(flag) is None and flag in values:
            values[flag] = False
    if values.get("weighting") is None and "weighting" in values:
        values["weighting"] = ""
    for count in ("n_respondents", "n_flagged"):
        if values.get(count) is None and count in values:
            values[count] = 0
    if values.get("rank") is not None:
        values["rank"] = int(values["rank"])
    return values


def _category_rows(snapshot, result):
    products = result.products
    if products.empty or "category_id" not in products.columns:
        return []
    rows = []
    categories = result.categories if hasattr(result, "categories") else None
    for category_id, group in products.groupby("category_id"):
        extra = {}
        if categories is not None and category_id in categories.index:
            info = categories.loc[category_id]
            extra = {
                "tau2": clean(info.get("tau2")),
                "tau2_borrowed": bool(clean(info.get("tau2_borrowed")) or False),
                "mean_score": clean(info.get("mean_score")),
            }
        rows.append(
            CategoryRanking(
                snapshot=snapshot,
                category_id=int(category_id),
                n_ranked=int((group["status"] == "ok").sum()),
                n_limited=int((group["status"] == "limited").sum()),
                **extra,
            )
        )
    return rows
