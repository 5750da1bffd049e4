from django.core.management.base import BaseCommand, CommandError

from analytics.services import NothingToScore, recompute_all_campaigns, recompute_scores
from surveys.models import Campaign

PHASE_LABELS = {
    "flags": "Scanning for fraud signals",
    "load": "Loading responses",
    "compute": "Computing scores",
    "store": "Storing the snapshot",
}


class Command(BaseCommand):
    help = "Compute the scores from the responses in the database and store a snapshot (METHODOLOGY.md §8)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--campaign", metavar="SLUG", help="report as of this campaign (default: the latest)"
        )
        parser.add_argument("--all", action="store_true", help="recompute every campaign (for trends)")

    def handle(self, *args, **options):
        def on_phase(name):
            self.stdout.write(f"{PHASE_LABELS.get(name, name)}…")

        try:
            if options["all"]:
                runs = recompute_all_campaigns(on_phase=on_phase)
            else:
                campaign = None
                if options["campaign"]:
                    campaign = Campaign.objects.filter(slug=options["campaign"]).first()
                    if campaign is None:
                        raise CommandError(f"Unknown campaign {options['campaign']!r}.")
                runs = [recompute_scores(campaign=campaign, on_phase=on_phase)]
        except NothingToScore as reason:
            raise CommandError(str(reason)) from reason
        for snapshot, timings in runs:
            phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings.phases.items())
            total = sum(timings.phases.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"{snapshot.campaign.slug}: {snapshot.n_responses} responses, "
                    f"{snapshot.product_scores.count()} products scored — {phases} (total {total:.2f} s)."
                )
            )
