"""Populate a demo site: catalogue, pages, demo doctors and responses, scores, an admin account."""

import io
import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from analytics.open_data import export_open_data
from analytics.services import recompute_all_campaigns
from cms.demo import seed_pages
from cms.legal import ensure_legal_pages
from ratings.demo import seed_catalogue
from ratings.demo_logos import seed_logos
from ratings.demo_replies import seed_vendor_replies
from ratings.models import Product
from surveys.demo import seed_survey_data
from surveys.models import Campaign

DEFAULT_ADMIN_EMAIL = "admin@observatoire.invalid"


class Command(BaseCommand):
    help = "Create the demo catalogue, pages, doctors and responses; running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the catalogue already has products."
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Product.objects.exists():
            self.stdout.write("The database already has data: demo data not loaded.")
            return
        created = seed_catalogue()
        self.stdout.write(f"Catalogue: {created} products created.")
        self.stdout.write(f"Logos: {seed_logos()} drawn.")
        self.stdout.write("Pages: created." if seed_pages() else "Pages: already there.")
        self.stdout.write(f"Legal pages: {ensure_legal_pages()} created.")
        accounts = seed_survey_data(stdout=self.stdout)
        # After the accounts: the reply is written by the demo vendor's member.
        self.stdout.write(f"Vendor replies: {seed_vendor_replies()} published.")
        self.seed_scores()
        # The site search's index: rows made in bulk are not indexed one by one as they are saved.
        call_command("update_index", stdout=io.StringIO())
        self.stdout.write("Search index: built.")
        self.seed_admin()
        self.print_demo_accounts(accounts)

    def seed_scores(self):
        """Compute the snapshot of every campaign that has none yet, so that pages show scores at once."""
        started = Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        if not started.exclude(snapshots__isnull=False).exists():
            self.stdout.write("Scores: already computed.")
        else:
            for snapshot, timings in recompute_all_campaigns():
                self.stdout.write(
                    f"Scores: {snapshot.campaign.slug} computed from {snapshot.n_responses} responses "
                    f"in {sum(timings.phases.values()):.1f} s."
                )
        folders = export_open_data(settings.OPEN_DATA_ROOT)
        self.stdout.write(f"Open data: {len(folders)} campaign(s) written to {settings.OPEN_DATA_ROOT}.")

    def seed_admin(self):
        User = get_user_model()
        email = os.environ.get("DEMO_ADMIN_EMAIL", DEFAULT_ADMIN_EMAIL)
        if User.objects.filter(email__iexact=email).exists():
            self.stdout.write(f"Admin account: {email} already exists (password unchanged).")
            return
        password = os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username="admin", email=email, password=password)
        self.stdout.write(
            self.style.SUCCESS(f"Admin account created: {email} / {password}  (sign in at /admin/)")
        )

    def print_demo_accounts(self, accounts):
        self.stdout.write("Demo accounts (sign in at /compte/connexion/ or /admin/):")
        for email, role, password in accounts:
            shown = password if password else "(already there, password unchanged)"
            self.stdout.write(self.style.SUCCESS(f"  {role:<9} {email} / {shown}"))
