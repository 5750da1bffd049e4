"""Writing a checked file in one transaction: the catalogue rows it creates (through `ratings.services`),
campaigns, doctors, then the responses, a few set-based statements per thousand rows."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratings import services as catalogue
from ratings.models import FACET_SLUGS
from surveys.models import Campaign, Doctor, Response
from surveys.models.responses import SITUATION_ANSWERS
from surveys.services.flags import flag_imported_responses

from .bulk_insert import INSERT_ROWS, MultiRowInsert, datetime_adapter
from .reading import PROGRESS_EVERY, null_progress

# The Response columns of the file's situation columns (reading.SITUATION_COLUMNS), in the same order.
SITUATION_FIELDS = (*SITUATION_ANSWERS, "previous_product_id")
N_FACETS = len(FACET_SLUGS)

# SQLite page cache during the write, in KiB when negative (SQLite's convention): 256 MB.
SQLITE_CACHE_SIZE = -256_000


def _response_upsert(now):
    """Return the multi-row upsert of responses: on (doctor, product, campaign), the later submitted_at wins."""
    qn = connection.ops.quote_name
    table = qn(Response._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    columns = ["doctor_id", "product_id", "campaign_id", "submitted_at", *FACET_SLUGS, "recommend", "comment"]
    columns += [*SITUATION_FIELDS, "comment_status"]
    updates = [
        f"{qn(c)} = excluded.{qn(c)}"
        for c in ("status", *FACET_SLUGS, "recommend", *SITUATION_FIELDS, "submitted_at", "updated_at")
    ]
    same_comment = f"{table}.{qn('comment')} = excluded.{qn('comment')}"
    updates += [
        f"{qn('comment_status')} = CASE WHEN {same_comment} THEN {table}.{qn('comment_status')} "
        f"ELSE excluded.{qn('comment_status')} END",
        f"{qn('comment_rejection_reason')} = CASE WHEN {same_comment} "
        f"THEN {table}.{qn('comment_rejection_reason')} ELSE '' END",
        f"{qn('comment')} = excluded.{qn('comment')}",
    ]
    # Column and table names only, quoted by the database; every value is a query parameter.
    on_conflict = (
        f" ON CONFLICT ({qn('doctor_id')}, {qn('product_id')}, {qn('campaign_id')}) DO UPDATE SET "  # nosec B608
        + ", ".join(updates)
        + f" WHERE {table}.{qn('submitted_at')} IS NULL OR excluded.{qn('submitted_at')} > {table}.{qn('submitted_at')}"
    )
    return MultiRowInsert(
        Response,
        columns=columns,
        constants={"status": Response.Status.SUBMITTED, "created_at": stamp, "updated_at": stamp},
        on_conflict=on_conflict,
    )


def _create_catalogue(parsed, report):
    """Create the products the file brings, with their vendors and categories; return slug → product id.

    Through the catalogue's services, one product at a time: a file brings a few hundred new products at
    most, and the services validate them and keep the search index up to date.
    """
    vendors = {
        slug: catalogue.get_or_create_vendor(slug=slug)
        for slug in sorted({v for v, _c in parsed.new_products.values()})
    }
    categories = {
        slug: catalogue.get_or_create_category(slug=slug)
        for slug in sorted({c for _v, c in parsed.new_products.values()})
    }
    product_ids = dict(parsed.product_ids)
    for slug, (v, c) in sorted(parsed.new_products.items()):
        product = catalogue.create_product(name=slug, slug=slug, vendor=vendors[v], category=categories[c])
        product_ids[slug] = product.pk
    report.new_vendors = len(vendors.keys() - parsed.vendor_ids.keys())
    report.new_categories = len(categories.keys() - parsed.category_ids.keys())
    return product_ids


def _save_campaigns(parsed):
    campaign_ids = {}
    for slug, (first, last) in parsed.campaign_span.items():
        campaign = parsed.campaigns[slug]
        first, last = timezone.localtime(first).date(), timezone.localtime(last).date()
        if campaign.pk is None:
            campaign.save()
        elif campaign.status == Campaign.Status.CLOSED and (
            first < campaign.opens_on or last > campaign.closes_on
        ):
            campaign.opens_on = min(first, campaign.opens_on)
            campaign.closes_on = max(last, campaign.closes_on)
            campaign.save(update_fields=["opens_on", "closes_on", "updated_at"])
        campaign_ids[slug] = campaign.pk
    return campaign_ids


def _create_doctors(parsed, cursor, now):
    if parsed.new_doctors:
        stamp = connection.ops.adapt_datetimefield_value(now)
        insert = MultiRowInsert(
            Doctor,
            columns=["rpps", "specialty", "region"],
            constants={
                "verification_status": Doctor.Status.VERIFIED,
                "verified_by": Doctor.VerifiedBy.IMPORT,
                "verified_at": stamp,
                "created_at": stamp,
                "updated_at": stamp,
            },
            # A doctor who signed up meanwhile keeps their account and profile.
            on_conflict=f" ON CONFLICT ({connection.ops.quote_name('rpps')}) DO NOTHING",
        )
        insert.execute(
            cursor,
            [
                insert.row((rpps, specialty, region))
                for rpps, (specialty, region, _at) in parsed.new_doctors.items()
            ],
        )
    by_region = {}
    for doctor_id, region in parsed.empty_region_fill.items():
        by_region.setdefault(region, []).append(doctor_id)
    for region, ids in by_region.items():
        for start in range(0, len(ids), INSERT_ROWS):
            Doctor.objects.filter(pk__in=ids[start : start + INSERT_ROWS], region="").update(region=region)
    if not parsed.new_doctors:
        return parsed.doctor_ids
    return dict(Doctor.objects.values_list("rpps", "id"))


def write_responses(*, parsed, progress=null_progress):
    """Write the valid rows of `parsed` in one transaction; fill in and return its report.

    Return with `report.written` set; the caller sends `scores_invalidated` (see `import_responses`).
    """
    report = parsed.report
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Allowed inside a transaction (journal_mode and temp_store are not): a bigger page cache
            # keeps the indexes being filled in memory. Per connection; put back at the end.
            cursor.execute("PRAGMA cache_size")
            sqlite_cache_size = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_SIZE}")
        product_ids = _create_catalogue(parsed, report) if parsed.new_products else parsed.product_ids
        campaign_ids = _save_campaigns(parsed)
        doctor_ids = _create_doctors(parsed, cursor, now)

        campaign_pks = list(campaign_ids.values())
        before = Response.objects.filter(campaign_id__in=campaign_pks).count()
        upsert = _response_upsert(now)
        adapt = datetime_adapter()
        pending, none = Response.CommentStatus.PENDING, Response.CommentStatus.NONE
        changed = 0
        bar = progress(total=len(parsed.rows), unit=" rows", desc=_("writing"))
        block = max(upsert.max_rows, PROGRESS_EVERY // upsert.max_rows * upsert.max_rows)  # whole statements
        batch = []
        for rpps, product, campaign, submitted_at, *rest in parsed.rows.values():
            # rest: 8 facets, recommend, comment, the 6 situation values, the line
            comment = rest[N_FACETS + 1]
            batch.append(
                upsert.row(
                    (
                        doctor_ids[rpps],
                        product_ids[product],
                        campaign_ids[campaign],
                        adapt(submitted_at),
                        *rest[:-1],
                        pending if comment else none,
                    )
                )
            )
            if len(batch) == block:
                changed += upsert.execute(cursor, batch)
                bar.update(len(batch))
                batch = []
        changed += upsert.execute(cursor, batch)
        bar.update(len(batch))
        bar.close()
        after = Response.objects.filter(campaign_id__in=campaign_pks).count()
        report.created = after - before
        report.updated = changed - report.created
        report.unchanged = len(parsed.rows) - changed
        if changed:
            flag_imported_responses(campaign_ids=campaign_pks, since=now)
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA cache_size = {sqlite_cache_size}")
    report.written = True
    return report
