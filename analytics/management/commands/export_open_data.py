"""Write the open data (FORMATS.md "Open data") of every campaign with published scores to a folder."""

from django.core.management.base import BaseCommand, CommandError

from analytics.open_data import export_open_data, read_manifest
from surveys.models import Campaign


class Command(BaseCommand):
    help = (
        "Write DIR/<campaign>/ (scores.csv, scores.json, sufficient_statistics.csv, strata.csv, methodology.json, "
        "manifest.json) for every campaign with published scores; each folder is swapped in whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="DIR", required=True, help="the folder to write into")
        parser.add_argument("--campaign", metavar="SLUG", help="only this campaign")

    def handle(self, *args, **options):
        campaign = None
        if options["campaign"]:
            campaign = Campaign.objects.filter(slug=options["campaign"]).first()
            if campaign is None:
                raise CommandError(f"Unknown campaign {options['campaign']!r}.")
        folders = export_open_data(options["output"], campaign=campaign)
        if not folders:
            raise CommandError(
                "No published scores to export: run `manage.py recompute_scores` first."
                if campaign is None
                else f"Campaign {campaign.slug!r} has no computed scores."
            )
        for folder in folders:
            manifest = read_manifest(folder.parent, folder.name)
            files = ", ".join(f"{f['name']} ({f['rows']} rows)" for f in manifest["files"])
            self.stdout.write(f"{folder}: {files}")
