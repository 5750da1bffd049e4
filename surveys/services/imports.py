"""Import of survey responses from the CSV of FORMATS.md ("Responses import").

Two phases: `parse_responses_file` reads and checks the whole file against lookups loaded once (no query
per row) and keeps the valid rows, de-duplicated; `write_responses` writes them in one transaction with
a few set-based statements per batch. `import_responses` chains both.

Choices the format leaves open:
- A doctor already in the database keeps their profile (status, specialty, region): an import never
  overrides what a doctor declared or staff verified; only an empty region is filled in. Doctors created
  by an import are verified, `verified_by=import`, with the specialty and region of their latest row.
- One response per doctor × product × campaign: the later `submitted_at` wins, within the file (on a tie
  the later line) and against the database (on a tie the stored response stays, so a second import of
  the same file writes nothing). A replaced response keeps its moderation state unless its comment
  changed, in which case the new comment goes back to moderation; a moderator's exclusion stays.
- A campaign created by the import is closed and spans its first to last `submitted_at` (local dates);
  a later import widens a closed campaign's dates to cover its responses. Open and draft campaigns keep
  the dates staff set.
- When `vendor` or `category` is given for a known product it must be the product's own.
"""

import csv
import dataclasses
import datetime
import io
import re
import time
from operator import itemgetter

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratings.models import FACET_SLUGS, Category, Product, Vendor
from surveys.models import Campaign, Doctor, Region, Response, Specialty
from surveys.rpps import rpps_error
from surveys.services.flags import flag_imported_responses
from surveys.signals import scores_invalidated

REQUIRED_COLUMNS = ("rpps", "specialty", "product", "campaign", "submitted_at")
OPTIONAL_COLUMNS = ("region", "vendor", "category", *FACET_SLUGS, "recommend", "comment")
KNOWN_COLUMNS = frozenset(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)

# Rows per INSERT statement (multi-row VALUES): large enough to amortise the statement, small enough for
# SQLite's limit of 32,766 bound parameters (about 25 columns × 1,000 rows).
INSERT_ROWS = 1_000
# Rows per bulk_create of doctors.
DOCTOR_BATCH = 5_000
# The parse progress bar is refreshed every this many rows (a per-row update costs more than the row).
PROGRESS_EVERY = 20_000

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
FACET_VALUES = {str(v): v for v in range(1, 6)}
RECOMMEND_VALUES = {str(v): v for v in range(0, 11)}
COMMENT_MAX_LENGTH = Response._meta.get_field("comment").max_length
SPECIALTIES = frozenset(Specialty.values)
REGIONS = frozenset(Region.values)


class ImportFileError(ValueError):
    """The file cannot be imported at all (not UTF-8, header without a required column…)."""


@dataclasses.dataclass
class ImportReport:
    rows: int = 0
    valid_rows: int = 0
    superseded: int = 0  # valid rows replaced by a later one of the same doctor × product × campaign
    errors: list = dataclasses.field(default_factory=list)  # (line, column, reason)
    invalid_lines: int = 0
    new_doctors: int = 0
    new_products: int = 0
    new_vendors: int = 0
    new_categories: int = 0
    new_campaigns: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    timings: dict = dataclasses.field(default_factory=dict)

    @property
    def to_write(self):
        return self.valid_rows - self.superseded


@dataclasses.dataclass
class ParsedFile:
    """The valid rows of a file, resolved against the database as far as it goes without writing."""

    report: ImportReport
    # key → (doctor rpps, product slug, campaign slug, submitted_at, 8 facets, recommend, comment, line)
    rows: dict
    doctor_ids: dict  # rpps → id of the doctors already in the database
    new_doctors: dict  # rpps → [specialty, region, submitted_at of the row the profile comes from]
    empty_region_fill: dict  # id of an existing doctor without region → region found in the file
    product_ids: dict  # slug → id
    new_products: dict  # slug → (vendor slug, category slug)
    vendor_ids: dict
    category_ids: dict
    campaigns: dict  # slug → Campaign (unsaved when new)
    campaign_span: dict  # slug → [first submitted_at, last submitted_at]


class _NullProgress:
    def update(self, n=1):
        pass

    def close(self):
        pass


def _null_progress(**kwargs):
    return _NullProgress()


def _read_header(reader):
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty: a header line is expected.")) from None
    header = [name.strip().lower() for name in header]
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        raise ImportFileError(_("Column(s) given twice in the header: %(c)s.") % {"c": ", ".join(duplicates)})
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError(
            _("Required column(s) missing from the header line: %(c)s (the header has: %(h)s).")
            % {"c": ", ".join(missing), "h": ", ".join(header)}
        )
    if not any(slug in header for slug in FACET_SLUGS):
        raise ImportFileError(
            _("The header has no facet column: at least one of %(c)s is needed.")
            % {"c": ", ".join(FACET_SLUGS)}
        )
    return header


def parse_responses_file(*, path, progress=_null_progress):
    """Read and check the whole CSV at `path`; return a ParsedFile (nothing is written)."""
    report = ImportReport()
    errors = report.errors
    doctor_ids = dict(Doctor.objects.values_list("rpps", "id"))
    doctor_regions = dict(Doctor.objects.filter(region="").values_list("rpps", "id"))
    products = {
        slug: (pk, v, c)
        for slug, pk, v, c in Product.objects.values_list("slug", "id", "vendor__slug", "category__slug")
    }
    vendor_ids = dict(Vendor.objects.values_list("slug", "id"))
    category_ids = dict(Category.objects.values_list("slug", "id"))
    campaigns = Campaign.objects.in_bulk(field_name="slug")

    valid_rpps = set()
    new_doctors = {}
    empty_region_fill = {}
    new_products = {}
    campaign_span = {}
    rows = {}
    # Small integer codes for the composite key (doctor, product, campaign), so that a million keys stay
    # a million ints rather than a million tuples of strings.
    doctor_codes, product_codes, campaign_codes = {}, {}, {}

    deferred = []  # valid rows naming a product this file may create on another line
    unresolved_products = []  # bad rows naming such a product: only the reason is to be decided

    def accept(
        line,
        rpps,
        specialty,
        region,
        product,
        vendor,
        category,
        campaign,
        submitted_at,
        facets,
        recommend,
        comment,
    ):
        """Remember a valid row and what it needs created."""
        report.valid_rows += 1
        if product not in products and product not in new_products:
            new_products[product] = (vendor, category)
        if rpps not in doctor_ids:
            profile = new_doctors.get(rpps)
            if profile is None:
                new_doctors[rpps] = [specialty, region, submitted_at]
            elif submitted_at >= profile[2]:
                profile[0] = specialty
                profile[1] = region or profile[1]
                profile[2] = submitted_at
        elif region and rpps in doctor_regions:
            empty_region_fill[doctor_regions[rpps]] = region
        span = campaign_span.get(campaign)
        if span is None:
            campaign_span[campaign] = [submitted_at, submitted_at]
        elif submitted_at < span[0]:
            span[0] = submitted_at
        elif submitted_at > span[1]:
            span[1] = submitted_at
        d = doctor_codes.setdefault(rpps, len(doctor_codes))
        p = product_codes.setdefault(product, len(product_codes))
        c = campaign_codes.setdefault(campaign, len(campaign_codes))
        key = (d << 24 | p) << 16 | c
        previous = rows.get(key)
        if previous is not None:
            report.superseded += 1
            # The later submitted_at wins; on a tie, the later line.
            if (previous[3], previous[-1]) > (submitted_at, line):
                return
        rows[key] = (rpps, product, campaign, submitted_at, *facets, recommend, comment, line)

    with open(path, "rb") as raw:
        size_bar = progress(total=_file_size(raw), unit="B", unit_scale=True, desc=_("checking"))
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        line = 1
        last_tell = 0
        try:
            header = _read_header(reader)
            n_columns = len(header)
            col = {name: header.index(name) if name in header else None for name in KNOWN_COLUMNS}
            i_rpps, i_specialty, i_region = col["rpps"], col["specialty"], col["region"]
            i_product, i_vendor, i_category = col["product"], col["vendor"], col["category"]
            i_campaign, i_submitted, i_recommend, i_comment = (
                col["campaign"],
                col["submitted_at"],
                col["recommend"],
                col["comment"],
            )
            facet_columns = [(slug, col[slug]) for slug in FACET_SLUGS]
            last_tell = raw.tell()
            for line, row in enumerate(reader, start=2):
                if line % PROGRESS_EVERY == 0:
                    position = raw.tell()
                    size_bar.update(position - last_tell)
                    last_tell = position
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line
                report.rows += 1
                if len(row) != n_columns:
                    errors.append(
                        (
                            line,
                            "",
                            _("%(found)s fields instead of the %(expected)s of the header")
                            % {"found": len(row), "expected": n_columns},
                        )
                    )
                    report.invalid_lines += 1
                    continue
                n_errors = len(errors)

                rpps = row[i_rpps].strip()
                if rpps not in valid_rpps:
                    problem = rpps_error(rpps)
                    if problem:
                        errors.append((line, "rpps", f"{rpps!r}: {problem}"))
                    else:
                        valid_rpps.add(rpps)
                specialty = row[i_specialty].strip()
                if specialty not in SPECIALTIES:
                    errors.append(
                        (
                            line,
                            "specialty",
                            _("unknown specialty %(value)r (expected one of: %(choices)s)")
                            % {"value": specialty, "choices": ", ".join(Specialty.values)},
                        )
                    )
                region = row[i_region].strip() if i_region is not None else ""
                if region:
                    if region.isdigit() and len(region) == 1:
                        region = region.zfill(2)  # a spreadsheet drops the leading zero of "01"
                    if region not in REGIONS:
                        errors.append(
                            (line, "region", _("unknown INSEE region code %(value)r") % {"value": region})
                        )

                product = row[i_product].strip()
                vendor = row[i_vendor].strip() if i_vendor is not None else ""
                category = row[i_category].strip() if i_category is not None else ""
                known = products.get(product)
                deferred_product = False
                if not product:
                    errors.append((line, "product", _("empty product slug")))
                elif known is not None:
                    if vendor and vendor != known[1]:
                        errors.append(
                            (
                                line,
                                "vendor",
                                _("product %(p)r belongs to vendor %(v)r, not %(given)r")
                                % {"p": product, "v": known[1], "given": vendor},
                            )
                        )
                    if category and category != known[2]:
                        errors.append(
                            (
                                line,
                                "category",
                                _("product %(p)r is in category %(c)r, not %(given)r")
                                % {"p": product, "c": known[2], "given": category},
                            )
                        )
                elif not SLUG_RE.match(product) or len(product) > 160:
                    errors.append((line, "product", _("%(value)r is not a valid slug") % {"value": product}))
                elif not vendor or not category:
                    # Maybe created by another line of this file: decided once the whole file is read.
                    deferred_product = True
                else:
                    for name, value in (("vendor", vendor), ("category", category)):
                        if not SLUG_RE.match(value) or len(value) > 120:
                            errors.append((line, name, _("%(value)r is not a valid slug") % {"value": value}))
                    first = new_products.get(product)
                    if first is not None and first != (vendor, category):
                        errors.append(
                            (
                                line,
                                "vendor",
                                _(
                                    "new product %(p)r was given vendor %(v)r and category %(c)r on another line"
                                )
                                % {"p": product, "v": first[0], "c": first[1]},
                            )
                        )

                campaign = row[i_campaign].strip()
                if not SLUG_RE.match(campaign) or len(campaign) > 80:
                    errors.append(
                        (line, "campaign", _("%(value)r is not a valid campaign slug") % {"value": campaign})
                    )

                submitted_text = row[i_submitted].strip()
                try:
                    submitted_at = datetime.datetime.fromisoformat(submitted_text)
                except ValueError:
                    submitted_at = None
                    errors.append(
                        (
                            line,
                            "submitted_at",
                            _("%(value)r is not an ISO 8601 date-time") % {"value": submitted_text},
                        )
                    )
                else:
                    if submitted_at.tzinfo is None:
                        errors.append(
                            (
                                line,
                                "submitted_at",
                                _("%(value)r has no UTC offset (write e.g. 2026-03-05T10:30:00+01:00)")
                                % {"value": submitted_text},
                            )
                        )

                facets = []
                answered = False
                for slug, position in facet_columns:
                    if position is None:
                        facets.append(None)
                        continue
                    text_value = row[position].strip()
                    if not text_value:
                        facets.append(None)
                        continue
                    value = FACET_VALUES.get(text_value)
                    if value is None:
                        errors.append(
                            (line, slug, _("%(value)r is not 1–5 or empty") % {"value": text_value})
                        )
                    answered = True
                    facets.append(value)
                if not answered:
                    errors.append(
                        (line, "facets", _("no facet answered (at least one 1–5 answer is needed)"))
                    )

                recommend = None
                if i_recommend is not None:
                    text_value = row[i_recommend].strip()
                    if text_value:
                        recommend = RECOMMEND_VALUES.get(text_value)
                        if recommend is None:
                            errors.append(
                                (
                                    line,
                                    "recommend",
                                    _("%(value)r is not 0–10 or empty") % {"value": text_value},
                                )
                            )
                comment = row[i_comment].strip() if i_comment is not None else ""
                if len(comment) > COMMENT_MAX_LENGTH:
                    errors.append(
                        (
                            line,
                            "comment",
                            _("comment of %(n)s characters (at most %(max)s)")
                            % {"n": len(comment), "max": COMMENT_MAX_LENGTH},
                        )
                    )

                if len(errors) != n_errors:
                    report.invalid_lines += 1
                    if deferred_product:
                        unresolved_products.append((line, product))
                    continue

                args = (line, rpps, specialty, region, product, vendor, category, campaign, submitted_at)
                if deferred_product:
                    deferred.append((*args, facets, recommend, comment))
                else:
                    accept(*args, facets, recommend, comment)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("The file is not UTF-8 text (near line %(line)s): save it as UTF-8 CSV.")
                % {"line": line + 1}
            ) from exc
        except csv.Error as exc:
            raise ImportFileError(
                _("Line %(line)s is not valid CSV: %(error)s") % {"line": line + 1, "error": exc}
            ) from exc
        finally:
            size_bar.update(raw.tell() - last_tell)
            size_bar.close()
            text.detach()

    n_errors = len(errors)
    for line, rpps, specialty, region, product, vendor, category, *rest in deferred:
        created_with = new_products.get(product)
        if created_with is None:
            errors.append(
                (
                    line,
                    "product",
                    _("unknown product %(value)r: give its vendor and category to create it")
                    % {"value": product},
                )
            )
            report.invalid_lines += 1
        elif (vendor and vendor != created_with[0]) or (category and category != created_with[1]):
            errors.append(
                (
                    line,
                    "vendor" if vendor and vendor != created_with[0] else "category",
                    _("new product %(p)r was given vendor %(v)r and category %(c)r on another line")
                    % {"p": product, "v": created_with[0], "c": created_with[1]},
                )
            )
            report.invalid_lines += 1
        else:
            accept(line, rpps, specialty, region, product, vendor, category, *rest)
    for line, product in unresolved_products:
        if product not in new_products:
            errors.append(
                (
                    line,
                    "product",
                    _("unknown product %(value)r: give its vendor and category to create it")
                    % {"value": product},
                )
            )
    if len(errors) != n_errors:
        errors.sort(key=itemgetter(0))  # stable: a line's columns stay in order

    for slug, (first, last) in campaign_span.items():
        if slug not in campaigns:
            campaigns[slug] = Campaign(
                slug=slug,
                title=slug,
                opens_on=timezone.localtime(first).date(),
                closes_on=timezone.localtime(last).date(),
                status=Campaign.Status.CLOSED,
            )
    return ParsedFile(
        report=report,
        rows=rows,
        doctor_ids=doctor_ids,
        new_doctors=new_doctors,
        empty_region_fill=empty_region_fill,
        product_ids={slug: value[0] for slug, value in products.items()},
        new_products=new_products,
        vendor_ids=vendor_ids,
        category_ids=category_ids,
        campaigns=campaigns,
        campaign_span=campaign_span,
    )


def _file_size(raw):
    position = raw.tell()
    size = raw.seek(0, io.SEEK_END)
    raw.seek(position)
    return size


def _create_catalogue(parsed, report):
    new_vendors = sorted({v for v, _c in parsed.new_products.values()} - set(parsed.vendor_ids))
    new_categories = sorted({c for _v, c in parsed.new_products.values()} - set(parsed.category_ids))
    # bulk_create rather than ratings.services one by one: a file may bring hundreds of new products.
    Vendor.objects.bulk_create([Vendor(slug=slug, name=slug) for slug in new_vendors])
    Category.objects.bulk_create([Category(slug=slug, name=slug) for slug in new_categories])
    vendor_ids = dict(Vendor.objects.values_list("slug", "id"))
    category_ids = dict(Category.objects.values_list("slug", "id"))
    Product.objects.bulk_create(
        [
            Product(name=slug, slug=slug, vendor_id=vendor_ids[v], category_id=category_ids[c])
            for slug, (v, c) in sorted(parsed.new_products.items())
        ]
    )
    report.new_vendors, report.new_categories = len(new_vendors), len(new_categories)
    report.new_products = len(parsed.new_products)
    return dict(Product.objects.values_list("slug", "id"))


def _save_campaigns(parsed, report):
    campaign_ids = {}
    for slug, campaign in parsed.campaigns.items():
        if slug not in parsed.campaign_span:
            continue
        first, last = (timezone.localtime(dt).date() for dt in parsed.campaign_span[slug])
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


def _create_doctors(parsed, report, now):
    Doctor.objects.bulk_create(
        [
            Doctor(
                rpps=rpps,
                specialty=specialty,
                region=region,
                verification_status=Doctor.Status.VERIFIED,
                verified_by=Doctor.VerifiedBy.IMPORT,
                verified_at=now,
            )
            for rpps, (specialty, region, _at) in parsed.new_doctors.items()
        ],
        batch_size=DOCTOR_BATCH,
    )
    report.new_doctors = len(parsed.new_doctors)
    by_region = {}
    for doctor_id, region in parsed.empty_region_fill.items():
        by_region.setdefault(region, []).append(doctor_id)
    for region, ids in by_region.items():
        for start in range(0, len(ids), DOCTOR_BATCH):
            Doctor.objects.filter(pk__in=ids[start : start + DOCTOR_BATCH], region="").update(region=region)
    if not parsed.new_doctors:
        return parsed.doctor_ids
    return dict(Doctor.objects.values_list("rpps", "id"))


class _ResponseUpsert:
    """INSERT … ON CONFLICT DO UPDATE … WHERE on surveys_response, portable between SQLite and PostgreSQL.

    Raw SQL because the rule "the later submitted_at wins against the database" needs a conditional
    update, which bulk_create(update_conflicts=True) cannot express; it also spares building a million
    model instances. The column list comes from the model, so a field added later with a default is
    filled with that default.
    """

    SET_COLUMNS = ("doctor_id", "product_id", "campaign_id", "status", *FACET_SLUGS, "recommend")

    def __init__(self, now):
        meta = Response._meta
        qn = connection.ops.quote_name
        self.table = qn(meta.db_table)
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        self.columns = [f.column for f in fields]
        explicit = {
            *self.SET_COLUMNS,
            "comment",
            "comment_status",
            "submitted_at",
            "created_at",
            "updated_at",
        }
        self.constant = {}
        for f in fields:
            if f.column not in explicit:
                self.constant[f.column] = f.get_db_prep_save(f.get_default(), connection)
        stamp = connection.ops.adapt_datetimefield_value(now)
        self.constant["created_at"] = self.constant["updated_at"] = stamp
        self.constant["status"] = Response.Status.SUBMITTED
        self.row_sql = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
        unique = ("doctor_id", "product_id", "campaign_id")
        target = self.table
        updates = [
            f"{qn(c)} = excluded.{qn(c)}" for c in (*FACET_SLUGS, "recommend", "submitted_at", "updated_at")
        ]
        updates.append(f"{qn('status')} = excluded.{qn('status')}")
        same_comment = f"{target}.{qn('comment')} = excluded.{qn('comment')}"
        updates.append(
            f"{qn('comment_status')} = CASE WHEN {same_comment} THEN {target}.{qn('comment_status')} "
            f"ELSE excluded.{qn('comment_status')} END"
        )
        updates.append(
            f"{qn('comment_rejection_reason')} = CASE WHEN {same_comment} "
            f"THEN {target}.{qn('comment_rejection_reason')} ELSE '' END"
        )
        updates.append(f"{qn('comment')} = excluded.{qn('comment')}")
        self.prefix = f"INSERT INTO {self.table} ({', '.join(qn(c) for c in self.columns)}) VALUES "
        self.suffix = (
            f" ON CONFLICT ({', '.join(qn(c) for c in unique)}) DO UPDATE SET {', '.join(updates)}"
            f" WHERE {target}.{qn('submitted_at')} IS NULL"
            f" OR excluded.{qn('submitted_at')} > {target}.{qn('submitted_at')}"
        )
        self._statements = {}

    def statement(self, n_rows):
        sql = self._statements.get(n_rows)
        if sql is None:
            sql = self._statements[n_rows] = self.prefix + ", ".join([self.row_sql] * n_rows) + self.suffix
        return sql

    def row_builder(self):
        """Return f(doctor_id, product_id, campaign_id, submitted_at, *facets, recommend, comment,
        comment_status) → the parameters of one row, in the column order of the statement."""
        names = [
            "doctor_id",
            "product_id",
            "campaign_id",
            "submitted_at",
            *FACET_SLUGS,
            "recommend",
            "comment",
        ]
        names.append("comment_status")
        constants = list(self.constant.values())
        position = {name: i for i, name in enumerate(names)}
        position.update({column: len(names) + i for i, column in enumerate(self.constant)})
        getter = itemgetter(*[position[column] for column in self.columns])
        constants = tuple(constants)
        return lambda *values: getter(values + constants)


def write_responses(*, parsed, progress=_null_progress):
    """Write the valid rows of `parsed` in one transaction; fill in and return its report."""
    report = parsed.report
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "sqlite":
            # Allowed inside a transaction (journal_mode is not): a bigger page cache and in-memory
            # temporary B-trees speed up the index maintenance of a large insert.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -200000")
                cursor.execute("PRAGMA temp_store = MEMORY")
        product_ids = _create_catalogue(parsed, report) if parsed.new_products else parsed.product_ids
        campaign_ids = _save_campaigns(parsed, report)
        doctor_ids = _create_doctors(parsed, report, now)

        campaign_pks = list(campaign_ids.values())
        before = Response.objects.filter(campaign_id__in=campaign_pks).count()
        upsert = _ResponseUpsert(now)
        build = upsert.row_builder()
        adapt = connection.ops.adapt_datetimefield_value
        pending, none = Response.CommentStatus.PENDING, Response.CommentStatus.NONE
        changed = 0
        bar = progress(total=len(parsed.rows), unit=" rows", desc=_("writing"))
        batch = []
        sql_full = upsert.statement(INSERT_ROWS)
        with connection.cursor() as cursor:
            for (
                rpps,
                product,
                campaign,
                submitted_at,
                *answers,
                recommend,
                comment,
                _line,
            ) in parsed.rows.values():
                batch.append(
                    build(
                        doctor_ids[rpps],
                        product_ids[product],
                        campaign_ids[campaign],
                        adapt(submitted_at),
                        *answers,
                        recommend,
                        comment,
                        pending if comment else none,
                    )
                )
                if len(batch) == INSERT_ROWS:
                    cursor.execute(sql_full, [value for row in batch for value in row])
                    changed += cursor.rowcount
                    bar.update(len(batch))
                    batch = []
            if batch:
                cursor.execute(upsert.statement(len(batch)), [value for row in batch for value in row])
                changed += cursor.rowcount
                bar.update(len(batch))
        bar.close()
        after = Response.objects.filter(campaign_id__in=campaign_pks).count()
        report.created = after - before
        report.updated = changed - report.created
        report.unchanged = len(parsed.rows) - changed
        if changed:
            flag_imported_responses(campaign_ids=campaign_pks, since=now)
    report.written = True
    if changed or report.new_doctors:
        scores_invalidated.send(sender=Response, reason="import")
    return report


def import_responses(*, path, dry_run=False, skip_invalid=False, progress=_null_progress):
    """Check the CSV at `path` and, unless a row is bad (or `skip_invalid`), write it; return the report."""
    started = time.perf_counter()
    parsed = parse_responses_file(path=path, progress=progress)
    report = parsed.report
    report.new_doctors = len(parsed.new_doctors)
    report.new_products = len(parsed.new_products)
    report.new_campaigns = sum(1 for c in parsed.campaigns.values() if c.pk is None)
    report.timings["validation"] = time.perf_counter() - started
    if dry_run or (report.errors and not skip_invalid):
        return report
    started = time.perf_counter()
    write_responses(parsed=parsed, progress=progress)
    report.timings["write"] = time.perf_counter() - started
    return report
