"""Load what a scoring run needs from the database into plain pandas/numpy data, column by column."""

from contextlib import contextmanager

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When

from ratings.models import FACET_SLUGS, ExpertAssessment, Methodology, PopulationStratum
from surveys.models import Campaign, Response, ResponseFlag, Specialty

from .core.constants import DEFAULT_WEIGHTS_ROW, OTHER_TOOL
from .core.params import Params

FETCH_CHUNK = 100_000

RESPONSE_COLUMNS = [
    "doctor_id",
    "product_id",
    "campaign_id",
    "vendor_id",
    "category_id",
    "campaign_end",
    "submitted_at",
    "specialty",
    "region",
    *FACET_SLUGS,
    "recommend",
    "flagged",
    # §10's optional answers
    "practice_setting",
    "price_paid",
    "price_increased",
    "commitment_months",
    "considering_switch",
    "previous_tool",
]


def eligible_responses(*, until=None):
    """Return the queryset of responses that count (METHODOLOGY.md §1) of campaigns ended by `until`."""
    responses = Response.objects.counted()
    if until is not None:
        responses = responses.filter(campaign__closes_on__lte=until)
    open_flags = ResponseFlag.objects.filter(response=OuterRef("pk"), resolved_at__isnull=True)
    return responses.annotate(
        vendor_id=F("product__vendor_id"),
        category_id=F("product__category_id"),
        campaign_end=F("campaign__closes_on"),
        specialty=F("doctor__specialty"),
        region=F("doctor__region"),
        flagged=Exists(open_flags),
        # The tool used before: its id, OTHER_TOOL for one named outside the catalogue, None if no change.
        previous_tool=Case(
            When(previous_product__isnull=False, then=F("previous_product_id")),
            When(~Q(previous_product_other=""), then=Value(OTHER_TOOL)),
            default=None,
            output_field=IntegerField(),
        ),
    ).values_list(*RESPONSE_COLUMNS)


@contextmanager
def streaming_cursor():
    """Yield a cursor that fetches a large result in chunks without buffering all of it.

    On PostgreSQL it is a server-side cursor, planned for reading every row: by default PostgreSQL
    plans cursors for a fast first row (cursor_tuple_fraction = 0.1), which picks nested loops and
    made the load four times slower on a million rows.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic():
        with connection.cursor() as setup:
            setup.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        with connection.chunked_cursor() as cursor:
            yield cursor


def fetch_frame(queryset, columns):
    """Return the rows of a `values_list` queryset as a DataFrame, read chunk by chunk."""
    sql, params = queryset.query.sql_with_params()
    chunks = []
    with streaming_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_CHUNK):
            chunks.append(pd.DataFrame.from_records(rows, columns=columns))
    return pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=columns)


def load_responses(*, until=None):
    """Return the eligible responses as the frame `analytics.core.compute_scores` expects.

    Rows are fetched from a raw cursor in chunks and turned into columns at once: a million rows
    never exist as model instances, and only one chunk of tuples at a time (on PostgreSQL the
    cursor is server-side, so the client never buffers the whole result either).
    """
    return _typed(fetch_frame(eligible_responses(until=until), RESPONSE_COLUMNS))


def _typed(frame):
    for column in ("doctor_id", "product_id", "campaign_id", "vendor_id", "category_id"):
        frame[column] = frame[column].astype(np.int64)
    for column in (*FACET_SLUGS, "recommend", "price_paid", "commitment_months", "previous_tool"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(np.float64)
    for column in ("price_increased", "considering_switch"):  # yes 1, no 0, not answered NaN
        frame[column] = frame[column].map({True: 1.0, False: 0.0}).astype(np.float64)
    frame["flagged"] = frame["flagged"].astype(bool)
    # A campaign ends at the end of its closing day.
    frame["campaign_end"] = pd.to_datetime(frame["campaign_end"], utc=True) + pd.Timedelta(days=1)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True, format="ISO8601")
    gp = frame["specialty"].to_numpy() == Specialty.GENERAL_PRACTICE
    frame["practice_group"] = pd.Categorical(
        np.where(gp, "gp", "specialist"), categories=["gp", "specialist"]
    )
    # Profile columns of §10's subgroups: categories, coded once for a million rows.
    for column in ("region", "practice_setting"):
        frame[column] = frame[column].replace("", None).astype("category")
    return frame.drop(columns=["specialty"])


def load_facet_weights(methodology):
    """Return the facet weights as a frame indexed by category id, with the default row."""
    weights = {}
    for row in methodology.facet_weights.select_related("facet"):
        key = DEFAULT_WEIGHTS_ROW if row.category_id is None else row.category_id
        weights.setdefault(key, {})[row.facet.slug] = float(row.weight)
    default = {slug: weights.get(DEFAULT_WEIGHTS_ROW, {}).get(slug, 1.0) for slug in FACET_SLUGS}
    table = {DEFAULT_WEIGHTS_ROW: default}
    for key, values in weights.items():
        if key != DEFAULT_WEIGHTS_ROW:
            table[key] = {slug: values.get(slug, default[slug]) for slug in FACET_SLUGS}
    return pd.DataFrame.from_dict(table, orient="index")[list(FACET_SLUGS)]


def load_expert_scores(methodology, *, until=None):
    """Return the expert score of each product (its latest published review up to `until`)."""
    assessments = ExpertAssessment.objects.latest_per_product().select_related("product__category")
    if until is not None:
        assessments = assessments.filter(reviewed_on__lte=until)
    latest = {}
    for assessment in assessments.prefetch_related("scores__facet"):
        latest.setdefault(assessment.product_id, assessment)
    weights = {}  # one look-up per category, not per review
    scores = {}
    for pid, assessment in latest.items():
        category = assessment.product.category
        if category.pk not in weights:
            weights[category.pk] = methodology.weights_for(category)
        scores[pid] = assessment.weighted_score(methodology, weights[category.pk])
    return pd.Series({pid: s for pid, s in scores.items() if s is not None}, dtype=np.float64)


def params_for(methodology, campaign):
    """Return the core's parameters for `methodology`, reporting as of the end of `campaign`."""
    margins = {}
    # Dimensions in the order of their choices (practice group first): raking that cannot reach its
    # margins drops them from the last (METHODOLOGY §3).
    order = {dimension: i for i, dimension in enumerate(PopulationStratum.Dimension.values)}
    strata = sorted(methodology.strata.all(), key=lambda s: (order.get(s.dimension, len(order)), s.dimension))
    for stratum in strata:
        margins.setdefault(stratum.dimension, {})[stratum.code] = float(stratum.size)
    return Params(
        alpha=float(methodology.alpha),
        half_life_months=float(methodology.half_life_months),
        trim_factor=float(methodology.trim_factor),
        min_respondents=methodology.min_respondents,
        limited_respondents=methodology.limited_respondents,
        limited_neff=float(methodology.limited_n_effective),
        max_age_months=methodology.max_age_months,
        margins=margins,
        reference_date=reporting_date(campaign),
    )


def reporting_date(campaign):
    """Return the reference date of `campaign`: the end of its closing day, in UTC."""
    return pd.Timestamp(campaign.closes_on, tz="UTC") + pd.Timedelta(days=1)


def current_methodology():
    return Methodology.objects.current()


def latest_campaign():
    """Return the campaign scores are reported for by default: the latest to have started."""
    return Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("-closes_on", "-pk").first()
