"""Import of survey responses from the CSV of FORMATS.md ("Responses import").

Two phases: `parse_responses_file` reads and checks the whole file against lookups loaded once (no query
per row) and keeps the valid rows, de-duplicated; `write_responses` writes them in one transaction with
a few set-based statements per thousand rows. `import_responses` chains both.

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
- When `vendor` or `category` is given for a known product it must be the product's own; a new product
  needs both on at least one of its lines, and other lines may leave them empty.
- Columns the format does not know are ignored (the format may gain columns at the end).
"""

import csv
import dataclasses
import datetime
import io
import re
import sqlite3
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

# Rows per INSERT statement (multi-row VALUES, SQLite), within the limit of bound parameters.
INSERT_ROWS = 1_000
# Rows per COPY and INSERT … SELECT (PostgreSQL).
COPY_ROWS = 50_000
# SQLite page cache during the write, in KiB when negative (SQLite's convention): 256 MB.
SQLITE_CACHE_SIZE = -256_000
# The progress bars are refreshed every this many rows (a per-row update costs more than the row).
PROGRESS_EVERY = 20_000

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
BAD = object()  # marks a cell that does not parse
N_FACETS = len(FACET_SLUGS)
FACET_CELLS = {"": None, **{str(v): v for v in range(1, 6)}}
RECOMMEND_CELLS = {"": None, **{str(v): v for v in range(0, 11)}}
COMMENT_MAX_LENGTH = Response._meta.get_field("comment").max_length
SPECIALTIES = frozenset(Specialty.values)
REGION_CELLS = frozenset(Region.values) | {""}


class ImportFileError(ValueError):
    """The file cannot be imported at all (not UTF-8, header without a required column…)."""


@dataclasses.dataclass
class ImportReport:
    rows: int = 0
    valid_rows: int = 0
    superseded: int = 0  # valid rows replaced by a later one of the same doctor × product × campaign
    errors: list = dataclasses.field(default_factory=list)  # (line, column, reason), by line
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
    # (rpps, product, campaign) → (rpps, product, campaign, submitted_at, 8 facets, recommend, comment, line)
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


class _Checker:
    """State of one file's check: lookups loaded once, what the valid rows need, the errors."""

    def __init__(self, header):
        self.report = ImportReport()
        self.doctor_ids = dict(Doctor.objects.values_list("rpps", "id"))
        self.doctor_without_region = dict(Doctor.objects.filter(region="").values_list("rpps", "id"))
        self.products = {
            slug: (pk, v, c)
            for slug, pk, v, c in Product.objects.values_list("slug", "id", "vendor__slug", "category__slug")
        }
        self.vendor_ids = dict(Vendor.objects.values_list("slug", "id"))
        self.category_ids = dict(Category.objects.values_list("slug", "id"))
        self.campaigns = Campaign.objects.in_bulk(field_name="slug")

        self.n_columns = len(header)
        # A column absent from the header reads the empty cell appended to every row.
        self.position = {
            name: header.index(name) if name in header else self.n_columns
            for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
        }
        # Values already known to be good, so that most rows need look-ups only. Each maps a value to
        # its first instance: rows then share one string per doctor, product and campaign instead of
        # holding a copy each (a few hundred megabytes on a million rows).
        self.valid_rpps = {}
        self.good_products = {}  # (product, vendor, category) cells
        self.good_campaigns = {}

        self.new_doctors = {}
        self.empty_region_fill = {}
        self.new_products = {}
        self.campaign_span = {}
        self.rows = {}
        self.deferred = []  # valid rows naming a product that another line of the file may create
        self.unresolved = []  # bad rows naming such a product: whether that is a reason too is decided last

    def error(self, line, column, reason):
        self.report.errors.append((line, column, reason))

    def accept(self, line, rpps, specialty, region, product, vendor, category, campaign, submitted_at, rest):
        """Remember a valid row; `rest` is (8 facets…, recommend, comment)."""
        self.report.valid_rows += 1
        if product not in self.products and product not in self.new_products:
            self.new_products[product] = (vendor, category)
        if rpps not in self.doctor_ids:
            profile = self.new_doctors.get(rpps)
            if profile is None:
                self.new_doctors[rpps] = [specialty, region, submitted_at]
            elif submitted_at >= profile[2]:
                profile[0], profile[1], profile[2] = specialty, region or profile[1], submitted_at
        elif region and rpps in self.doctor_without_region:
            self.empty_region_fill[self.doctor_without_region[rpps]] = region
        span = self.campaign_span.get(campaign)
        if span is None:
            self.campaign_span[campaign] = [submitted_at, submitted_at]
        elif submitted_at < span[0]:
            span[0] = submitted_at
        elif submitted_at > span[1]:
            span[1] = submitted_at
        key = (rpps, product, campaign)
        previous = self.rows.get(key)
        if previous is not None:
            self.report.superseded += 1
            # The later submitted_at wins; on a tie, the later line.
            if (previous[3], previous[-1]) > (submitted_at, line):
                return
        self.rows[key] = (rpps, product, campaign, submitted_at, *rest, line)

    def check(self, line, row):
        """Check `row` cell by cell, recording every problem; accept or defer it when it is good."""
        errors = self.report.errors
        n_errors = len(errors)
        cell = {name: row[position].strip() for name, position in self.position.items()}

        rpps = cell["rpps"]
        problem = rpps_error(rpps)
        if problem:
            self.error(line, "rpps", f"{rpps!r}: {problem}")
        specialty = cell["specialty"]
        if specialty not in SPECIALTIES:
            self.error(
                line,
                "specialty",
                _("unknown specialty %(value)r (expected one of: %(choices)s)")
                % {"value": specialty, "choices": ", ".join(Specialty.values)},
            )
        region = cell["region"]
        if region.isdigit() and len(region) == 1:
            region = region.zfill(2)  # a spreadsheet drops the leading zero of "01"
        if region not in REGION_CELLS:
            self.error(line, "region", _("unknown INSEE region code %(value)r") % {"value": region})

        product, vendor, category = cell["product"], cell["vendor"], cell["category"]
        known = self.products.get(product)
        deferred = False
        if not product:
            self.error(line, "product", _("empty product slug"))
        elif known is not None:
            if vendor and vendor != known[1]:
                self.error(
                    line,
                    "vendor",
                    _("product %(p)r belongs to vendor %(v)r, not %(given)r")
                    % {"p": product, "v": known[1], "given": vendor},
                )
            if category and category != known[2]:
                self.error(
                    line,
                    "category",
                    _("product %(p)r is in category %(c)r, not %(given)r")
                    % {"p": product, "c": known[2], "given": category},
                )
        elif not SLUG_RE.match(product) or len(product) > 160:
            self.error(line, "product", _("%(value)r is not a valid slug") % {"value": product})
        elif not vendor or not category:
            deferred = True  # maybe created by another line of this file: decided once it is all read
        else:
            for name, value in (("vendor", vendor), ("category", category)):
                if not SLUG_RE.match(value) or len(value) > 120:
                    self.error(line, name, _("%(value)r is not a valid slug") % {"value": value})
            first = self.new_products.get(product)
            if first is not None and first != (vendor, category):
                self.error(
                    line,
                    "vendor" if first[0] != vendor else "category",
                    _("new product %(p)r was given vendor %(v)r and category %(c)r on another line")
                    % {"p": product, "v": first[0], "c": first[1]},
                )

        campaign = cell["campaign"]
        if not SLUG_RE.match(campaign) or len(campaign) > 80:
            self.error(line, "campaign", _("%(value)r is not a valid campaign slug") % {"value": campaign})

        submitted_at = None
        try:
            submitted_at = datetime.datetime.fromisoformat(cell["submitted_at"])
        except ValueError:
            self.error(
                line,
                "submitted_at",
                _("%(value)r is not an ISO 8601 date-time") % {"value": cell["submitted_at"]},
            )
        else:
            if submitted_at.tzinfo is None:
                self.error(
                    line,
                    "submitted_at",
                    _("%(value)r has no UTC offset (write e.g. 2026-03-05T10:30:00+01:00)")
                    % {"value": cell["submitted_at"]},
                )

        facets = []
        for slug in FACET_SLUGS:
            value = FACET_CELLS.get(cell[slug], BAD)
            if value is BAD:
                self.error(line, slug, _("%(value)r is not 1–5 or empty") % {"value": cell[slug]})
            facets.append(value)
        if all(value is None for value in facets):
            self.error(line, "facets", _("no facet answered (at least one 1–5 answer is needed)"))
        recommend = RECOMMEND_CELLS.get(cell["recommend"], BAD)
        if recommend is BAD:
            self.error(line, "recommend", _("%(value)r is not 0–10 or empty") % {"value": cell["recommend"]})
        comment = cell["comment"]
        if len(comment) > COMMENT_MAX_LENGTH:
            self.error(
                line,
                "comment",
                _("comment of %(n)s characters (at most %(max)s)")
                % {"n": len(comment), "max": COMMENT_MAX_LENGTH},
            )

        if len(errors) != n_errors:
            self.report.invalid_lines += 1
            if deferred:
                self.unresolved.append((line, product))
            return
        rpps = self.valid_rpps.setdefault(rpps, rpps)
        campaign = self.good_campaigns.setdefault(campaign, campaign)
        args = (
            line,
            rpps,
            specialty,
            region,
            product,
            vendor,
            category,
            campaign,
            submitted_at,
            (*facets, recommend, comment),
        )
        if deferred:
            self.deferred.append(args)
            return
        self.accept(*args)
        self.good_products.setdefault((product, vendor, category), (product, vendor, category))

    def resolve_deferred(self):
        """Decide the rows naming a new product without its vendor and category, now the file is read."""
        errors = self.report.errors
        n_errors = len(errors)
        unknown = _("unknown product %(value)r: give its vendor and category to create it")
        for line, rpps, specialty, region, product, vendor, category, *rest in self.deferred:
            created_with = self.new_products.get(product)
            if created_with is None:
                self.error(line, "product", unknown % {"value": product})
                self.report.invalid_lines += 1
            elif (vendor and vendor != created_with[0]) or (category and category != created_with[1]):
                self.error(
                    line,
                    "vendor" if vendor and vendor != created_with[0] else "category",
                    _("new product %(p)r was given vendor %(v)r and category %(c)r on another line")
                    % {"p": product, "v": created_with[0], "c": created_with[1]},
                )
                self.report.invalid_lines += 1
            else:
                self.accept(line, rpps, specialty, region, product, vendor, category, *rest)
        for line, product in self.unresolved:
            if product not in self.new_products:
                self.error(line, "product", unknown % {"value": product})
        if len(errors) != n_errors:
            errors.sort(key=itemgetter(0))  # stable: a line's columns stay in their order


def _new_good_rpps(rpps, valid_rpps):
    """Return `rpps` after remembering it when valid, else None."""
    if rpps_error(rpps) is None:
        valid_rpps[rpps] = rpps
        return rpps
    return None


def parse_responses_file(*, path, progress=_null_progress):
    """Read and check the whole CSV at `path`; return a ParsedFile (nothing is written)."""
    with open(path, "rb") as raw:
        bar = progress(total=_file_size(raw), unit="B", unit_scale=True, desc=_("checking"))
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        line = 1
        last_tell = 0
        try:
            checker = _Checker(_read_header(reader))
            report = checker.report
            n_columns = checker.n_columns
            pos = checker.position
            i_rpps, i_specialty, i_region = pos["rpps"], pos["specialty"], pos["region"]
            i_product, i_vendor, i_category = pos["product"], pos["vendor"], pos["category"]
            i_campaign, i_submitted = pos["campaign"], pos["submitted_at"]
            i_recommend, i_comment = pos["recommend"], pos["comment"]
            facets_of = itemgetter(*[pos[slug] for slug in FACET_SLUGS])
            valid_rpps, good_products, good_campaigns = (
                checker.valid_rpps,
                checker.good_products,
                checker.good_campaigns,
            )
            accept, check, fromisoformat = checker.accept, checker.check, datetime.datetime.fromisoformat
            facet_cells, recommend_cells = FACET_CELLS, RECOMMEND_CELLS
            last_tell = raw.tell()
            for line, row in enumerate(reader, start=2):
                if line % PROGRESS_EVERY == 0:
                    position = raw.tell()
                    bar.update(position - last_tell)
                    last_tell = position
                if len(row) != n_columns:
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue  # a blank line
                    report.rows += 1
                    report.invalid_lines += 1
                    checker.error(
                        line,
                        "",
                        _("%(found)s fields instead of the %(expected)s of the header")
                        % {"found": len(row), "expected": n_columns},
                    )
                    continue
                report.rows += 1
                row.append("")
                # Fast path: every cell exactly one already seen good, or trivially checked. Anything
                # else (spaces, a new product, a bad value…) goes through `check`, which explains.
                rpps = valid_rpps.get(row[i_rpps]) or _new_good_rpps(row[i_rpps], valid_rpps)
                product_cells = good_products.get((row[i_product], row[i_vendor], row[i_category]))
                campaign = good_campaigns.get(row[i_campaign])
                try:
                    submitted_at = fromisoformat(row[i_submitted])
                except ValueError:
                    submitted_at = None
                facets = [facet_cells.get(value, BAD) for value in facets_of(row)]
                recommend = recommend_cells.get(row[i_recommend], BAD)
                comment = row[i_comment]
                if (
                    rpps is not None
                    and row[i_specialty] in SPECIALTIES
                    and row[i_region] in REGION_CELLS
                    and product_cells is not None
                    and campaign is not None
                    and submitted_at is not None
                    and submitted_at.tzinfo is not None
                    and BAD not in facets
                    and facets.count(None) != N_FACETS
                    and recommend is not BAD
                    and len(comment) <= COMMENT_MAX_LENGTH
                    and comment == comment.strip()
                ):
                    accept(
                        line,
                        rpps,
                        row[i_specialty],
                        row[i_region],
                        *product_cells,
                        campaign,
                        submitted_at,
                        (*facets, recommend, comment),
                    )
                else:
                    check(line, row)
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
            bar.update(raw.tell() - last_tell)
            bar.close()
            text.detach()

    checker.resolve_deferred()
    campaigns = checker.campaigns
    for slug, (first, last) in checker.campaign_span.items():
        if slug not in campaigns:
            campaigns[slug] = Campaign(
                slug=slug,
                title=slug,
                opens_on=timezone.localtime(first).date(),
                closes_on=timezone.localtime(last).date(),
                status=Campaign.Status.CLOSED,
            )
    report.new_doctors = len(checker.new_doctors)
    report.new_products = len(checker.new_products)
    report.new_campaigns = sum(1 for slug in checker.campaign_span if campaigns[slug].pk is None)
    return ParsedFile(
        report=report,
        rows=checker.rows,
        doctor_ids=checker.doctor_ids,
        new_doctors=checker.new_doctors,
        empty_region_fill=checker.empty_region_fill,
        product_ids={slug: value[0] for slug, value in checker.products.items()},
        new_products=checker.new_products,
        vendor_ids=checker.vendor_ids,
        category_ids=checker.category_ids,
        campaigns=campaigns,
        campaign_span=checker.campaign_span,
    )


def _file_size(raw):
    position = raw.tell()
    size = raw.seek(0, io.SEEK_END)
    raw.seek(position)
    return size


class _MultiRowInsert:
    """INSERT INTO table (every column) … [ON CONFLICT …] for many rows, on SQLite and PostgreSQL.

    Raw SQL because building a million model instances and preparing each field of each row costs
    minutes, and because the rule "the later submitted_at wins against the database" needs a conditional
    update that bulk_create(update_conflicts=True) cannot express. The column list comes from the model:
    a field added later is filled with its default.

    SQLite gets multi-row VALUES statements. PostgreSQL gets the rows by COPY into a temporary table and
    one INSERT … SELECT with the same ON CONFLICT clause: psycopg re-parses a statement with thousands
    of placeholders on every execution (it caches short statements only), which made VALUES ten times
    slower there than COPY.
    """

    def __init__(self, model, *, columns, constants, on_conflict=""):
        self.columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
        fields = {f.column: f for f in model._meta.concrete_fields}
        constants = dict(constants)
        for column in self.columns:
            if column not in columns and column not in constants:
                field = fields[column]
                constants[column] = field.get_db_prep_save(field.get_default(), connection)
        position = {column: i for i, column in enumerate(columns)}
        position.update({column: len(columns) + i for i, column in enumerate(constants)})
        self._getter = itemgetter(*[position[column] for column in self.columns])
        self._constants = tuple(constants.values())
        qn = connection.ops.quote_name
        self.table = qn(model._meta.db_table)
        column_list = ", ".join(qn(c) for c in self.columns)
        self._suffix = on_conflict
        self.use_copy = connection.vendor == "postgresql"
        if self.use_copy:
            temp = qn(f"import_{model._meta.db_table}")
            typed = ", ".join(f"{qn(c)} {fields[c].db_type(connection)}" for c in self.columns)
            self._create_temp = f"CREATE TEMPORARY TABLE IF NOT EXISTS {temp} ({typed}) ON COMMIT DROP"
            self._truncate_temp = f"TRUNCATE {temp}"
            self._copy_sql = f"COPY {temp} ({column_list}) FROM STDIN"
            self._insert_select = f"INSERT INTO {self.table} ({column_list}) SELECT {column_list} FROM {temp}"
            self.max_rows = COPY_ROWS
        else:
            self._prefix = f"INSERT INTO {self.table} ({column_list}) VALUES "
            self._row = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
            self._sql = {}
            self.max_rows = max(1, min(INSERT_ROWS, _max_query_params() // len(self.columns)))

    def row(self, values):
        """Return the parameters of one row from `values`, given in the order of `columns`."""
        return self._getter(values + self._constants)

    def execute(self, cursor, rows):
        """Insert `rows` (built with `row`); return the number of rows inserted or updated."""
        if not rows:
            return 0
        if self.use_copy:
            return self._execute_copy(cursor, rows)
        written = 0
        for start in range(0, len(rows), self.max_rows):
            chunk = rows[start : start + self.max_rows]
            sql = self._sql.get(len(chunk))
            if sql is None:
                sql = self._sql[len(chunk)] = (
                    self._prefix + ", ".join([self._row] * len(chunk)) + self._suffix
                )
            cursor.execute(sql, [value for row in chunk for value in row])
            written += cursor.rowcount
        return written

    def _execute_copy(self, cursor, rows):
        cursor.execute(self._create_temp)
        cursor.execute(self._truncate_temp)
        with cursor.cursor.copy(self._copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(self._insert_select + self._suffix)
        return cursor.rowcount


def _max_query_params():
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # The library's real limit (32,766 since SQLite 3.32), not Django's conservative 999.
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65_535  # PostgreSQL's protocol limit


def _sqlite_datetime(value):
    # What Django's SQLite backend stores for an aware datetime (UTC, naive, text), without the
    # settings look-ups it makes on each call: this runs a million times.
    return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")


def _datetime_adapter():
    if connection.vendor == "sqlite" and connection.timezone_name == "UTC":
        return _sqlite_datetime
    return connection.ops.adapt_datetimefield_value


def _response_upsert(now):
    """Return the multi-row upsert of responses: on (doctor, product, campaign), the later submitted_at wins."""
    qn = connection.ops.quote_name
    table = qn(Response._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    columns = ["doctor_id", "product_id", "campaign_id", "submitted_at", *FACET_SLUGS, "recommend", "comment"]
    columns.append("comment_status")
    updates = [
        f"{qn(c)} = excluded.{qn(c)}"
        for c in ("status", *FACET_SLUGS, "recommend", "submitted_at", "updated_at")
    ]
    same_comment = f"{table}.{qn('comment')} = excluded.{qn('comment')}"
    updates += [
        f"{qn('comment_status')} = CASE WHEN {same_comment} THEN {table}.{qn('comment_status')} "
        f"ELSE excluded.{qn('comment_status')} END",
        f"{qn('comment_rejection_reason')} = CASE WHEN {same_comment} "
        f"THEN {table}.{qn('comment_rejection_reason')} ELSE '' END",
        f"{qn('comment')} = excluded.{qn('comment')}",
    ]
    on_conflict = (
        f" ON CONFLICT ({qn('doctor_id')}, {qn('product_id')}, {qn('campaign_id')}) DO UPDATE SET "
        + ", ".join(updates)
        + f" WHERE {table}.{qn('submitted_at')} IS NULL OR excluded.{qn('submitted_at')} > {table}.{qn('submitted_at')}"
    )
    return _MultiRowInsert(
        Response,
        columns=columns,
        constants={"status": Response.Status.SUBMITTED, "created_at": stamp, "updated_at": stamp},
        on_conflict=on_conflict,
    )


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
    return dict(Product.objects.values_list("slug", "id"))


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
        insert = _MultiRowInsert(
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


def write_responses(*, parsed, progress=_null_progress):
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
        adapt = _datetime_adapter()
        pending, none = Response.CommentStatus.PENDING, Response.CommentStatus.NONE
        changed = 0
        bar = progress(total=len(parsed.rows), unit=" rows", desc=_("writing"))
        block = max(upsert.max_rows, PROGRESS_EVERY // upsert.max_rows * upsert.max_rows)  # whole statements
        batch = []
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
                upsert.row(
                    (
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


def import_responses(*, path, dry_run=False, skip_invalid=False, progress=_null_progress):
    """Check the CSV at `path` and, unless a row is bad (or `skip_invalid`), write it; return the report.

    After a write that changed something, send `scores_invalidated` (reason "import"); a second import
    of the same file changes nothing and sends nothing.
    """
    started = time.perf_counter()
    parsed = parse_responses_file(path=path, progress=progress)
    report = parsed.report
    report.timings["validation"] = time.perf_counter() - started
    if dry_run or (report.errors and not skip_invalid):
        return report
    started = time.perf_counter()
    write_responses(parsed=parsed, progress=progress)
    report.timings["write"] = time.perf_counter() - started
    if report.created or report.updated or report.new_doctors:
        started = time.perf_counter()
        scores_invalidated.send(sender=Response, reason="import")
        report.timings["signal"] = time.perf_counter() - started
    return report
