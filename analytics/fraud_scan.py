"""Run the statistical fraud signals of METHODOLOGY.md §7 over the submitted responses and store flags.

The signals that need no statistics (vendor e-mail domain, declared link, fresh account) are raised
by the survey app when a response is submitted; the ones here look at many responses at once.
Flags only flag: a moderator decides what to exclude.
"""

import numpy as np
import pandas as pd
from django.db.models import CharField, ExpressionWrapper, F, FloatField, IntegerField, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from ratings.models import FACET_SLUGS
from surveys.models import Response, ResponseFlag
from surveys.services.flags import raise_flag_kind

from .core import fraud, situation
from .core.rows import category_weight_matrix, facet_levels, global_scores
from .loading import fetch_frame, load_facet_weights

COLUMNS = [
    "id",
    "doctor_id",
    "product_id",
    "category_id",
    "submitted_at",
    "network_prefix",
    "fingerprint",
    *FACET_SLUGS,
]
# The eight answers (1 to 5, 0 when not applicable) travel as the digits of one base-6 number.
ANSWER_BASE = 6
FETCHED = [
    "id",
    "doctor_id",
    "product_id",
    "category_id",
    "submitted_text",
    "network_prefix",
    "fingerprint",
    "answers",
    "price",
]


def load_submitted():
    """Return the submitted, non-excluded responses with the columns the signals read.

    Built for a million rows, where the database driver's making of Python objects is most of the time:
    the rows come in the database's own order (the signals are sets; sorting cost a second); the time of
    submission comes as text, which pandas parses in one pass, rather than as a datetime object per row;
    the eight answers come packed into one integer (`ANSWER_BASE`), unpacked here with numpy, rather than
    as eight objects per row, half of them possibly NULL.
    """
    packed = sum(
        (Coalesce(F(slug), Value(0)) * Value(ANSWER_BASE**i) for i, slug in enumerate(FACET_SLUGS)), Value(0)
    )
    queryset = (
        Response.objects.submitted()
        .filter(excluded=False)
        .annotate(
            category_id=F("product__category_id"),
            submitted_text=Cast("submitted_at", CharField()),
            answers=ExpressionWrapper(packed, output_field=IntegerField()),
            # A float, not a Decimal per row: the price only meets a median.
            price=Cast("price_paid", FloatField()),
        )
        .order_by()
        .values_list(*FETCHED)
    )
    frame = fetch_frame(queryset, FETCHED).rename(columns={"submitted_text": "submitted_at"})
    packed = frame.pop("answers").to_numpy(dtype=np.int64)
    for i, slug in enumerate(FACET_SLUGS):
        answers = (packed // ANSWER_BASE**i % ANSWER_BASE).astype(np.float64)
        answers[answers == 0] = np.nan
        frame[slug] = answers
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True, format="ISO8601")
    for column in ("network_prefix", "fingerprint"):
        frame[column] = frame[column].replace("", None)
    return frame


def detect(frame, *, facet_weights, as_of):
    """Return {flag kind: (response ids, detail)} for the statistical signals."""
    found = {}
    if frame.empty:
        return found
    burst = fraud.burst_flags(frame, as_of)
    bursting = burst.index[burst["flag"]]
    window = frame["submitted_at"] > as_of - pd.Timedelta(days=7)
    found[ResponseFlag.Kind.BURST] = (frame.loc[frame["product_id"].isin(bursting) & window, "id"], "")

    lines = fraud.straight_lining_flags(frame)
    lined_products = lines.index[lines["flag"]]
    straight = fraud.straight_lined(frame)
    found[ResponseFlag.Kind.STRAIGHT_LINING] = (
        frame.loc[straight & frame["product_id"].isin(lined_products), "id"],
        "",
    )

    shared = fraud.shared_network_flags(frame)
    found[ResponseFlag.Kind.SHARED_NETWORK] = (frame.loc[shared["shared_network"], "id"], "")
    found[ResponseFlag.Kind.SHARED_FINGERPRINT] = (frame.loc[shared["shared_fingerprint"], "id"], "")

    category_codes, categories = pd.factorize(frame["category_id"])
    weights = category_weight_matrix(facet_weights, np.asarray(categories, dtype=np.int64))
    scored = frame.assign(g=global_scores(facet_levels(frame), weights, category_codes))
    scored = scored[scored["g"].notna()]
    found[ResponseFlag.Kind.OUTLIER] = (scored.loc[fraud.outlier_flags(scored), "id"], "")

    # §10: a price paid above 20 times its category's median is for a person to check (never dropped).
    prices = frame["price"].to_numpy(dtype=np.float64)
    above = situation.price_outliers(frame["category_id"].to_numpy(), prices)
    found[ResponseFlag.Kind.PRICE_OUTLIER] = (frame.loc[above, "id"], "")
    return found


def scan_for_fraud(*, methodology, as_of=None):
    """Detect the statistical signals and store new flags; return {kind: number of new flags}."""
    as_of = pd.Timestamp(as_of or timezone.now())
    as_of = as_of.tz_localize("UTC") if as_of.tzinfo is None else as_of.tz_convert("UTC")
    found = detect(load_submitted(), facet_weights=load_facet_weights(methodology), as_of=as_of)
    return {
        kind: raise_flag_kind(kind=kind, response_ids=ids.to_numpy(), detail=detail)
        for kind, (ids, detail) in found.items()
    }
