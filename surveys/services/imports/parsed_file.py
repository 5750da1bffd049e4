"""What checking a file gives the write: the report so far and the valid rows, resolved and de-duplicated."""

import dataclasses

from django.utils import timezone

from surveys.models import Campaign


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
    # (rpps, product, campaign) → (rpps, product, campaign, submitted_at, 8 facets, recommend, comment,
    # 6 situation values (surveys.services.imports.reading.SITUATION_COLUMNS), line)
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


class ValidRows:
    """The valid rows of a file as they are checked: de-duplicated, with the doctors, products and
    campaigns they bring; `parsed_file` returns them for the write."""

    def __init__(self, *, report, products, doctor_ids, doctor_without_region):
        self.report = report
        self.products = products  # slug → (id, vendor slug, category slug) of the known products
        self.doctor_ids = doctor_ids
        self.doctor_without_region = doctor_without_region
        self.new_doctors = {}
        self.empty_region_fill = {}
        self.new_products = {}
        self.campaign_span = {}
        self.rows = {}

    def add(self, line, rpps, specialty, region, product, vendor, category, campaign, submitted_at, rest):
        """Remember a valid row; `rest` is (8 facets…, recommend, comment, 6 situation values)."""
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

    def parsed_file(self, *, vendor_ids, category_ids, campaigns):
        """Return the ParsedFile of these rows; `campaigns` (slug → Campaign) gains those the file creates."""
        for slug, (first, last) in self.campaign_span.items():
            if slug not in campaigns:
                campaigns[slug] = Campaign(
                    slug=slug,
                    title=slug,
                    opens_on=timezone.localtime(first).date(),
                    closes_on=timezone.localtime(last).date(),
                    status=Campaign.Status.CLOSED,
                )
        report = self.report
        report.new_doctors = len(self.new_doctors)
        report.new_products = len(self.new_products)
        report.new_campaigns = sum(1 for slug in self.campaign_span if campaigns[slug].pk is None)
        return ParsedFile(
            report=report,
            rows=self.rows,
            doctor_ids=self.doctor_ids,
            new_doctors=self.new_doctors,
            empty_region_fill=self.empty_region_fill,
            product_ids={slug: value[0] for slug, value in self.products.items()},
            new_products=self.new_products,
            vendor_ids=vendor_ids,
            category_ids=category_ids,
            campaigns=campaigns,
            campaign_span=self.campaign_span,
        )
