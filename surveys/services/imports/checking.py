"""Checking a responses file: every row against the rules of FORMATS.md, every problem by line and column.

Look-ups are loaded once (no query per row). Most rows take a fast path made of dictionary look-ups of
values already seen good; any other row is checked cell by cell by `_FileChecker.check`, which explains.
"""

import datetime
import re
from operator import itemgetter

from django.utils.translation import gettext as _

from ratings.models import FACET_SLUGS, Category, Product, Vendor
from surveys.models import Campaign, Doctor, Region, Response, Specialty
from surveys.rpps import rpps_error

from .parsed_file import ImportReport, ValidRows
from .reading import (
    BAD,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SITUATION_COLUMNS,
    null_progress,
    open_responses_file,
)
from .reading import (
    shown as _shown,
)
from .situation import SituationCells

SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")
PRODUCT_SLUG_MAX = Product._meta.get_field("slug").max_length
VENDOR_SLUG_MAX = Vendor._meta.get_field("slug").max_length
CATEGORY_SLUG_MAX = Category._meta.get_field("slug").max_length
CAMPAIGN_SLUG_MAX = Campaign._meta.get_field("slug").max_length
COMMENT_MAX_LENGTH = Response._meta.get_field("comment").max_length
N_FACETS = len(FACET_SLUGS)
FACET_CELLS = {"": None, **{str(v): v for v in range(1, 6)}}
RECOMMEND_CELLS = {"": None, **{str(v): v for v in range(0, 11)}}
SPECIALTIES = frozenset(Specialty.values)
REGION_CELLS = frozenset(Region.values) | {""}

# An answer dated outside these bounds is a typing error; they also keep away dates that cannot be
# converted to UTC or to local time (year 1 or 9999 with an offset), which would end the write.
SUBMITTED_AT_FROM = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
SUBMITTED_AT_UNTIL = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
# The columns in the order `check` looks at them ("facets" is the reason "no facet answered").
CHECK_ORDER = {
    name: i
    for i, name in enumerate(
        ("rpps", "specialty", "region", "product", "vendor", "category", "campaign", "submitted_at")
        + (*FACET_SLUGS, "facets", "recommend", "comment", *SITUATION_COLUMNS)
    )
}


class _FileChecker:
    """State of one file's check: lookups loaded once, what the valid rows need, the errors."""

    def __init__(self, header):
        self.report = ImportReport()
        self.products = {
            slug: (pk, v, c)
            for slug, pk, v, c in Product.objects.values_list("slug", "id", "vendor__slug", "category__slug")
        }
        self.vendor_ids = dict(Vendor.objects.values_list("slug", "id"))
        self.category_ids = dict(Category.objects.values_list("slug", "id"))
        self.campaigns = Campaign.objects.in_bulk(field_name="slug")

        self.header = header
        self.n_columns = len(header)
        # A column absent from the header reads the empty cell appended to every row.
        self.position = {
            name: header.index(name) if name in header else self.n_columns
            for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
        }
        self.situation = SituationCells(self.position, self.products, self.error)
        # Values already known to be good, so that most rows need look-ups only. Each maps a value to
        # its first instance: rows then share one string per doctor, product and campaign instead of
        # holding a copy each (a few hundred megabytes on a million rows).
        self.valid_rpps = {}
        self.good_products = {}  # (product, vendor, category) cells
        self.good_campaigns = {}

        self.valid = ValidRows(
            report=self.report,
            products=self.products,
            doctor_ids=dict(Doctor.objects.values_list("rpps", "id")),
            doctor_without_region=dict(Doctor.objects.filter(region="").values_list("rpps", "id")),
        )
        self.new_products = self.valid.new_products  # read by the checks of a new product's lines
        self.deferred = []  # valid rows naming a product that another line of the file may create
        self.unresolved = []  # bad rows naming such a product: whether that is a reason too is decided last

    def error(self, line, column, reason):
        self.report.errors.append((line, column, reason))

    def check(self, line, row):
        """Check `row` cell by cell, recording every problem; accept or defer it when it is good."""
        errors = self.report.errors
        n_errors = len(errors)
        cell = {name: row[position].strip() for name, position in self.position.items()}

        rpps = cell["rpps"]
        problem = rpps_error(rpps)
        if problem:
            self.error(line, "rpps", f"{_shown(rpps)!r}: {problem}")
        specialty = cell["specialty"]
        if specialty not in SPECIALTIES:
            self.error(
                line,
                "specialty",
                _("unknown specialty %(value)r (expected one of: %(choices)s)")
                % {"value": _shown(specialty), "choices": ", ".join(Specialty.values)},
            )
        region = cell["region"]
        if region.isdigit() and region.isascii() and len(region) == 1:
            region = region.zfill(2)  # a spreadsheet drops the leading zero of "01"
        if region not in REGION_CELLS:
            self.error(line, "region", _("unknown INSEE region code %(value)r") % {"value": _shown(region)})

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
                    % {"p": product, "v": known[1], "given": _shown(vendor)},
                )
            if category and category != known[2]:
                self.error(
                    line,
                    "category",
                    _("product %(p)r is in category %(c)r, not %(given)r")
                    % {"p": product, "c": known[2], "given": _shown(category)},
                )
        elif not SLUG_RE.fullmatch(product) or len(product) > PRODUCT_SLUG_MAX:
            self.error(line, "product", _("%(value)r is not a valid slug") % {"value": _shown(product)})
        elif not vendor or not category:
            deferred = True  # maybe created by another line of this file: decided once it is all read
        else:
            for name, value, max_length in (
                ("vendor", vendor, VENDOR_SLUG_MAX),
                ("category", category, CATEGORY_SLUG_MAX),
            ):
                if not SLUG_RE.fullmatch(value) or len(value) > max_length:
                    self.error(line, name, _("%(value)r is not a valid slug") % {"value": _shown(value)})
            first = self.new_products.get(product)
            if first is not None and first != (vendor, category):
                self.error(
                    line,
                    "vendor" if first[0] != vendor else "category",
                    _("new product %(p)r was given vendor %(v)r and category %(c)r on another line")
                    % {"p": product, "v": first[0], "c": first[1]},
                )

        campaign = cell["campaign"]
        if not SLUG_RE.fullmatch(campaign) or len(campaign) > CAMPAIGN_SLUG_MAX:
            self.error(
                line, "campaign", _("%(value)r is not a valid campaign slug") % {"value": _shown(campaign)}
            )

        submitted_at = None
        shown = {"value": _shown(cell["submitted_at"])}
        try:
            submitted_at = datetime.datetime.fromisoformat(cell["submitted_at"])
        except ValueError:
            self.error(line, "submitted_at", _("%(value)r is not an ISO 8601 date-time") % shown)
        else:
            if submitted_at.tzinfo is None:
                self.error(
                    line,
                    "submitted_at",
                    _("%(value)r has no UTC offset (write e.g. 2026-03-05T10:30:00+01:00)") % shown,
                )
            elif not SUBMITTED_AT_FROM <= submitted_at < SUBMITTED_AT_UNTIL:
                self.error(
                    line,
                    "submitted_at",
                    _("%(value)r is not between %(first)s and %(last)s")
                    % {**shown, "first": SUBMITTED_AT_FROM.year, "last": SUBMITTED_AT_UNTIL.year - 1},
                )

        facets = []
        for slug in FACET_SLUGS:
            value = FACET_CELLS.get(cell[slug], BAD)
            if value is BAD:
                self.error(line, slug, _("%(value)r is not 1–5 or empty") % {"value": _shown(cell[slug])})
            facets.append(value)
        if all(value is None for value in facets):
            self.error(line, "facets", _("no facet answered (at least one 1–5 answer is needed)"))
        recommend = RECOMMEND_CELLS.get(cell["recommend"], BAD)
        if recommend is BAD:
            self.error(
                line, "recommend", _("%(value)r is not 0–10 or empty") % {"value": _shown(cell["recommend"])}
            )
        comment = cell["comment"]
        if len(comment) > COMMENT_MAX_LENGTH:
            self.error(
                line,
                "comment",
                _("comment of %(n)s characters (at most %(max)s)")
                % {"n": len(comment), "max": COMMENT_MAX_LENGTH},
            )
        situation = self.situation.check(line, cell, product)
        self._report_nul(line, row, n_errors)

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
            (*facets, recommend, comment, *situation),
        )
        if deferred:
            self.deferred.append(args)
            return
        self.valid.add(*args)
        self.good_products.setdefault((product, vendor, category), (product, vendor, category))

    def _report_nul(self, line, row, n_errors):
        """Make a NUL byte the one reason given for its cell, in any column, the format's or not.

        PostgreSQL refuses NUL in text, and no column of the format can hold one; the other reasons
        given for such a cell would quote an invisible character.
        """
        nul = [self.header[i] for i, value in enumerate(row[: self.n_columns]) if "\x00" in value]
        if not nul:
            return
        errors = self.report.errors
        kept = [error for error in errors[n_errors:] if error[1] not in nul]
        reason = _("contains a NUL character (\\x00)")
        # In the order of the checks, as the line's other reasons; columns unknown to the format last.
        errors[n_errors:] = sorted(
            kept + [(line, column, reason) for column in nul],
            key=lambda error: CHECK_ORDER.get(error[1], len(CHECK_ORDER)),
        )

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
                self.valid.add(line, rpps, specialty, region, product, vendor, category, *rest)
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


def parse_responses_file(*, path, progress=null_progress):
    """Read and check the whole CSV at `path`; return a ParsedFile (nothing is written)."""
    with open_responses_file(path, progress=progress) as (header, rows):
        checker = _FileChecker(header)
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
        accept, check, fromisoformat = checker.valid.add, checker.check, datetime.datetime.fromisoformat
        situation_of = checker.situation.fast
        facet_cells, recommend_cells = FACET_CELLS, RECOMMEND_CELLS
        submitted_from, submitted_until = SUBMITTED_AT_FROM, SUBMITTED_AT_UNTIL
        for line, row in rows:
            report.rows += 1
            if len(row) != n_columns:
                report.invalid_lines += 1
                checker.error(
                    line,
                    "",
                    _("%(found)s fields instead of the %(expected)s of the header")
                    % {"found": len(row), "expected": n_columns},
                )
                continue
            row.append("")
            # Fast path: every cell exactly one already seen good, or trivially checked. Anything
            # else (spaces, a new product, a bad value, a NUL byte…) goes through `check`, which explains.
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
            situation = situation_of(row, row[i_product])
            if (
                situation is not None
                and rpps is not None
                and row[i_specialty] in SPECIALTIES
                and row[i_region] in REGION_CELLS
                and product_cells is not None
                and campaign is not None
                and submitted_at is not None
                and submitted_at.tzinfo is not None
                and submitted_from <= submitted_at < submitted_until
                and BAD not in facets
                and facets.count(None) != N_FACETS
                and recommend is not BAD
                and len(comment) <= COMMENT_MAX_LENGTH
                and comment == comment.strip()
                # fromisoformat lets a NUL byte through and a comment is free text; testing the whole
                # row also covers any column added later, for a fraction of a second per million rows.
                and "\x00" not in "".join(row)
            ):
                accept(
                    line,
                    rpps,
                    row[i_specialty],
                    row[i_region],
                    *product_cells,
                    campaign,
                    submitted_at,
                    (*facets, recommend, comment, *situation),
                )
            else:
                check(line, row)
    checker.resolve_deferred()
    return checker.valid.parsed_file(
        vendor_ids=checker.vendor_ids, category_ids=checker.category_ids, campaigns=checker.campaigns
    )
