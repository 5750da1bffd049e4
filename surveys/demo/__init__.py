"""Demo survey data: the directory sample, ~1,500 invented doctors, two campaigns, a few thousand responses
with comments in every moderation state, and demo accounts for each role. Fixed seed; running it again
changes nothing."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from surveys.models import Response
from surveys.services.directory import import_directory
from surveys.services.flags import flag_imported_responses

from .accounts import DEMO_DOCTOR_EMAIL, demo_password, seed_accounts, seed_demo_doctor_history
from .campaigns import seed_campaigns
from .doctors import DIRECTORY_SAMPLE, N_DOCTORS, seed_doctors
from .responses import seed_conflict_example, seed_responses

__all__ = ["DEMO_DOCTOR_EMAIL", "N_DOCTORS", "demo_password", "seed_survey_data"]

# One generator, drawn in the same order on every run (doctors, then responses): the demo never shifts.
SEED = 2026


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


@transaction.atomic
def seed_survey_data(*, stdout=None):
    """Load the demo survey data when missing; return the demo accounts [(e-mail, role, password|None)].

    Scores are not computed here: seed_demo computes every campaign once the data is in.
    """
    rng = random.Random(SEED)
    now = timezone.now()
    report = import_directory(path=DIRECTORY_SAMPLE)
    _say(stdout, f"Directory sample: {report.doctors} doctors ({report.created} new).")
    campaigns = seed_campaigns()
    created_doctors = seed_doctors(rng, now)
    accounts = seed_accounts()
    moderator = get_user_model().objects.get(email__iexact="moderation@demo.invalid")
    created_responses = seed_responses(rng, campaigns, moderator, now)
    seed_demo_doctor_history(campaigns, moderator)
    seed_conflict_example(campaigns)
    if created_responses:
        flag_imported_responses(
            campaign_ids=[c.pk for c in campaigns.values()], since=now - datetime.timedelta(days=3650)
        )
    _say(
        stdout,
        f"Survey demo: {created_doctors} doctors and {created_responses} responses created "
        f"({Response.objects.count()} responses in all).",
    )
    return accounts
