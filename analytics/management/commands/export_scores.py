import io

from django.core.management.base import BaseCommand, CommandError

from analytics import published
from analytics.export import export_rows, write_csv, write_json
from ratings.models import Vendor
from surveys.models import Campaign


class Command(BaseCommand):
    help = "Export the latest computed scores, one row per product (FORMATS.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--campaign", metavar="SLUG", help="the campaign's snapshot (default: the latest)"
        )
        parser.add_argument("--vendor", metavar="SLUG", help="only this vendor's products")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--output", metavar="PATH", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        if options["campaign"]:
            campaign = Campaign.objects.filter(slug=options["campaign"]).first()
            if campaign is None:
                raise CommandError(f"Unknown campaign {options['campaign']!r}.")
            snapshot = published.snapshot_for_campaign(campaign)
            if snapshot is None:
                raise CommandError(
                    f"No scores computed for campaign {campaign.slug!r}: run "
                    f"`manage.py recompute_scores --campaign {campaign.slug}` first."
                )
        else:
            snapshot = published.current_snapshot()
            if snapshot is None:
                raise CommandError("No scores computed yet: run `manage.py recompute_scores` first.")
        vendor = None
        if options["vendor"]:
            vendor = Vendor.objects.filter(slug=options["vendor"]).first()
            if vendor is None:
                raise CommandError(f"Unknown vendor {options['vendor']!r}.")
        rows = export_rows(snapshot, vendor=vendor)
        write = write_json if options["format"] == "json" else write_csv
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as stream:
                write(rows, stream)
            self.stderr.write(f"{len(rows)} products written to {options['output']}.")
        else:
            buffer = io.StringIO()
            write(rows, buffer)
            self.stdout.write(buffer.getvalue(), ending="")
