"""Fraud and quality flags (METHODOLOGY.md §7) that need no statistics: raised when a response is
submitted or imported. The statistical ones (burst, straight-lining, outliers, shared networks) are
computed by the analytics adapter, which stores them with `raise_flags`. A flag never excludes anything:
a moderator decides."""

import datetime

from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from ratings.models import FACET_SLUGS
from surveys.models import ConflictOfInterest, Response, ResponseFlag

# METHODOLOGY.md §7: an account created less than this before rating a single product with extreme
# answers only is "fresh".
FRESH_ACCOUNT_WINDOW = datetime.timedelta(hours=48)
EXTREME_ANSWERS = frozenset({1, 5})
# Responses read per query when flagging an import.
CHUNK = 5_000


def _flag(response_id, kind, detail=""):
    return ResponseFlag(response_id=response_id, kind=kind, detail=str(detail)[:255])


@transaction.atomic
def raise_flags(*, flags):
    """Store `flags` (ResponseFlag instances, unsaved), skipping any (response, kind) already flagged.

    Return the number of flags that were new.
    """
    flags = list(flags)
    if not flags:
        return 0
    response_ids = {f.response_id for f in flags}
    existing = set(
        ResponseFlag.objects.filter(response_id__in=response_ids).values_list("response_id", "kind")
    )
    fresh = {(f.response_id, f.kind) for f in flags} - existing
    ResponseFlag.objects.bulk_create(flags, ignore_conflicts=True, batch_size=CHUNK)
    return len(fresh)


# Rows per INSERT statement when the scan stores its flags (5 parameters each).
INSERT_ROWS = 1_000


@transaction.atomic
def raise_flag_kind(*, kind, response_ids, detail=""):
    """Flag every response of `response_ids` with `kind` unless it already has that flag; return how many were new.

    For the statistical scan, which finds tens of thousands of responses at once: the responses already
    flagged with `kind` are read once (one column, one query), and the new flags are written by multi-row
    INSERT statements (Django's bulk_create prepared each field of each row and took five seconds for
    30,000 flags).
    """
    wanted = {int(pk) for pk in response_ids}
    wanted -= set(ResponseFlag.objects.filter(kind=kind).values_list("response_id", flat=True))
    if not wanted:
        return 0
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    detail = str(detail)[:255]
    table = connection.ops.quote_name(ResponseFlag._meta.db_table)
    ids = sorted(wanted)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), INSERT_ROWS):
            chunk = ids[start : start + INSERT_ROWS]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (created_at, updated_at, response_id, kind, detail) "  # nosec B608: quoted name
                f"VALUES {values} ON CONFLICT (response_id, kind) DO NOTHING",
                [value for pk in chunk for value in (now, now, pk, kind, detail)],
            )
    return len(wanted)


def email_domain(email):
    return (email or "").rpartition("@")[2].strip().lower()


def domain_matches(domain, vendor_domains):
    """Return True when `domain` is one of `vendor_domains` or a subdomain of one."""
    return bool(domain) and any(domain == d or domain.endswith("." + d) for d in vendor_domains)


def is_fresh_account_rating(*, joined_at, submitted_at, n_products, answers):
    """Return True for an account created < 48 h before rating its only product with answers all 1 or 5.

    "All at 1 or 5" is read as every answered facet being extreme (all 1, all 5, or a mix of the two).
    """
    if joined_at is None or submitted_at is None or n_products != 1:
        return False
    age = submitted_at - joined_at
    given = [a for a in answers if a is not None]
    return (
        datetime.timedelta(0) <= age < FRESH_ACCOUNT_WINDOW and bool(given) and set(given) <= EXTREME_ANSWERS
    )


def _joined_at(doctor):
    return doctor.user.date_joined if doctor.user_id else doctor.created_at


def flag_response_on_submit(*, response):
    """Raise the submit-time flags of `response` (vendor e-mail domain, declared link, fresh account).

    Return the list of kinds raised (already present ones included).
    """
    doctor = response.doctor
    vendor = response.product.vendor
    found = []
    if doctor.user_id:
        domain = email_domain(doctor.user.email)
        if domain_matches(domain, vendor.email_domain_list):
            found.append(_flag(response.pk, ResponseFlag.Kind.VENDOR_DOMAIN, domain))
    link = ConflictOfInterest.objects.filter(doctor=doctor, vendor=vendor).first()
    if link is not None:
        found.append(_flag(response.pk, ResponseFlag.Kind.DECLARED_LINK, link.description))
    n_products = Response.objects.submitted().filter(doctor=doctor).values("product_id").distinct().count()
    if is_fresh_account_rating(
        joined_at=_joined_at(doctor),
        submitted_at=response.submitted_at,
        n_products=n_products,
        answers=response.answers.values(),
    ):
        found.append(_flag(response.pk, ResponseFlag.Kind.FRESH_ACCOUNT, ""))
    raise_flags(flags=found)
    return [f.kind for f in found]


def flag_imported_responses(*, campaign_ids, since):
    """Raise the submit-time flags on the responses of `campaign_ids` written at or after `since`.

    Set-based: a declared link is one join; the e-mail and fresh-account rules only concern doctors
    with an account, a small part of an import (doctors created by an import have none).
    """
    written = Response.objects.filter(campaign_id__in=campaign_ids, updated_at__gte=since)
    flags = [
        _flag(pk, ResponseFlag.Kind.DECLARED_LINK, description)
        for pk, description in written.filter(doctor__conflicts__vendor=F("product__vendor")).values_list(
            "pk", "doctor__conflicts__description"
        )
    ]
    with_account = list(
        written.filter(doctor__user__isnull=False).values_list(
            "pk",
            "doctor_id",
            "doctor__user__email",
            "doctor__user__date_joined",
            "product__vendor__email_domains",
            "submitted_at",
            *FACET_SLUGS,
        )
    )
    if with_account:
        doctor_ids = {row[1] for row in with_account}
        n_products = dict(
            Response.objects.submitted()
            .filter(doctor_id__in=doctor_ids)
            .values("doctor_id")
            .annotate(n=Count("product_id", distinct=True))
            .values_list("doctor_id", "n")
        )
        for pk, doctor_id, email, joined_at, vendor_domains, submitted_at, *answers in with_account:
            domains = [
                d.strip().lower() for d in (vendor_domains or "").replace(";", ",").split(",") if d.strip()
            ]
            domain = email_domain(email)
            if domain_matches(domain, domains):
                flags.append(_flag(pk, ResponseFlag.Kind.VENDOR_DOMAIN, domain))
            if is_fresh_account_rating(
                joined_at=joined_at,
                submitted_at=submitted_at,
                n_products=n_products.get(doctor_id, 0),
                answers=answers,
            ):
                flags.append(_flag(pk, ResponseFlag.Kind.FRESH_ACCOUNT))
    return raise_flags(flags=flags)
