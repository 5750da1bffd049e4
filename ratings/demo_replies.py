"""The demo's right of reply: Agendoc answers about Agendoc Pro, with two invented commitments (§10).

Written and published on a fixed day after the spring campaign closed, so the demo is the same whenever
it runs: the commitment due before the autumn campaign closes is measured (spring against autumn) once
that campaign is closed; the other is due after every demo campaign and stays "not yet measurable".
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Facet, Product, VendorMembership
from .services import publish_vendor_reply, submit_vendor_reply

PRODUCT_SLUG = "agendoc-pro"
WRITTEN_ON = datetime.date(2026, 5, 20)
TEXT = (
    "Merci aux médecins qui ont pris le temps de répondre. Nous avons entendu les critiques sur le "
    "support : une équipe dédiée aux cabinets répond désormais par téléphone en moins de deux heures "
    "ouvrées. Nous publierons ici l'avancement de nos engagements."
)
COMMITMENTS = [
    (
        "support",
        "Réponse du support en moins de deux heures ouvrées, par téléphone",
        datetime.date(2026, 9, 30),
    ),
    ("interoperability", "Export complet de l'agenda au format iCalendar", datetime.date(2027, 6, 30)),
]


@transaction.atomic
def seed_vendor_replies():
    """Write and publish the demo reply when its product has none; return how many replies were made."""
    product = Product.objects.filter(slug=PRODUCT_SLUG).first()
    if product is None or product.replies.exists():
        return 0
    member = VendorMembership.objects.filter(vendor_id=product.vendor_id).select_related("user").first()
    if member is None:
        return 0
    facets = Facet.objects.in_bulk([slug for slug, _, _ in COMMITMENTS], field_name="slug")
    reply = submit_vendor_reply(
        product=product,
        author=member.user,
        text=TEXT,
        commitments=[{"facet": facets[slug], "what": what, "due_on": due} for slug, what, due in COMMITMENTS],
        today=WRITTEN_ON,
    )
    moderator = get_user_model().objects.filter(groups__name="moderator").order_by("pk").first()
    publish_vendor_reply(reply=reply, by=moderator, today=WRITTEN_ON)
    return 1
