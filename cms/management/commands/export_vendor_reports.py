"""Write the vendor reports of one campaign to a folder: <campaign>/<vendor>.pdf, .xlsx and <vendor>/<table>.csv."""

import contextlib
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from analytics import published
from cms.report_delivery import vendors_with_scores
from cms.reports import FORMATS, render_report_files
from ratings.models import Vendor
from surveys.models import Campaign


def write_atomically(path, content):
    """Write `content` to `path` through a temporary file in the same folder, renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def parse_formats(value):
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise CommandError(
            f"Unknown format(s) {', '.join(unknown) or value!r}: choose among {', '.join(FORMATS)}."
        )
    return [f for f in FORMATS if f in formats]


class Command(BaseCommand):
    help = "Write the vendor reports of a campaign (PDF, XLSX, CSV) to a folder, one file written atomically at a time."

    def add_arguments(self, parser):
        parser.add_argument(
            "--vendor", metavar="SLUG", help="only this vendor (default: every vendor with scores)"
        )
        parser.add_argument(
            "--campaign", metavar="SLUG", help="the campaign (default: the latest with computed scores)"
        )
        parser.add_argument(
            "--format", default=",".join(FORMATS), help="comma-separated: pdf,xlsx,csv (default: all)"
        )
        parser.add_argument(
            "--output", metavar="DIR", required=True, help="folder to write <campaign>/… into"
        )

    def campaign(self, slug):
        if slug:
            campaign = Campaign.objects.filter(slug=slug).first()
            if campaign is None:
                raise CommandError(f"Unknown campaign {slug!r}.")
            if published.snapshot_for_campaign(campaign) is None:
                raise CommandError(
                    f"No scores computed for campaign {slug!r}: run `manage.py recompute_scores --campaign {slug}` first."
                )
            return campaign
        for campaign in Campaign.objects.order_by("-closes_on", "-pk"):
            if published.snapshot_for_campaign(campaign) is not None:
                return campaign
        raise CommandError("No scores computed yet: run `manage.py recompute_scores` first.")

    def vendors(self, slug, campaign):
        vendor = None
        if slug:
            vendor = Vendor.objects.filter(slug=slug).first()
            if vendor is None:
                raise CommandError(f"Unknown vendor {slug!r}.")
        vendors = list(vendors_with_scores(campaign, vendor))
        if not vendors:
            raise CommandError(
                f"No listed product of {slug!r} has scores in campaign {campaign.slug!r}."
                if slug
                else f"No vendor has scores in campaign {campaign.slug!r}."
            )
        return vendors

    def handle(self, *args, **options):
        formats = parse_formats(options["format"])
        campaign = self.campaign(options["campaign"])
        vendors = self.vendors(options["vendor"], campaign)
        folder = Path(options["output"]) / campaign.slug
        written, failures = 0, []
        with contextlib.ExitStack() as stack:
            if "pdf" in formats:
                # One browser prints every vendor's PDF.
                from cms.reports.pdf import pdf_renderer

                stack.enter_context(pdf_renderer())
            progress = tqdm(
                vendors, desc=campaign.slug, unit="vendor", file=self.stderr, disable=not self.stderr.isatty()
            )
            for vendor in progress:
                try:
                    files = render_report_files(vendor, campaign, formats)
                    for name, content in files.items():
                        write_atomically(folder / name, content)
                        written += 1
                except Exception as error:  # one vendor's failure must not cost the others their reports
                    failures.append((vendor.slug, error))
        done = len(vendors) - len(failures)
        self.stdout.write(f"{done} of {len(vendors)} vendor reports written ({written} files) to {folder}.")
        for slug, error in failures:
            self.stderr.write(f"{slug}: {type(error).__name__}: {error}")
        if failures:
            raise CommandError(
                f"{len(failures)} vendor report(s) failed: {', '.join(s for s, _ in failures)}."
            )
