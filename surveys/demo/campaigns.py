"""Demo campaigns: a closed spring survey and an open autumn one."""

import datetime

from surveys.models import Campaign

CAMPAIGNS = [
    (
        "printemps-2026",
        "Enquête de printemps 2026",
        "Spring 2026 survey",
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 30),
        "closed",
    ),
    (
        "automne-2026",
        "Enquête d'automne 2026",
        "Autumn 2026 survey",
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 15),
        "open",
    ),
]
# Answers of the open campaign are dated up to this day, so the demo looks the same whenever it runs.
OPEN_CAMPAIGN_ANSWERED_UNTIL = datetime.date(2026, 11, 15)


def seed_campaigns():
    campaigns = {}
    for slug, title, title_en, opens_on, closes_on, status in CAMPAIGNS:
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            campaign = Campaign(
                slug=slug,
                title_fr=title,
                title_en=title_en,
                opens_on=opens_on,
                closes_on=closes_on,
                status=status,
            )
            campaign.full_clean()
            campaign.save()
        campaigns[slug] = campaign
    return campaigns
