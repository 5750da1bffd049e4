"""Demo accounts, one per role, and the demo doctor's own answers (one comment published, one refused)."""

import datetime
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from ratings.models import FACET_SLUGS, Product, Vendor, VendorMembership
from surveys.models import Doctor, ModerationEvent, Response
from surveys.services.moderation import RejectionReason, rejection_text

from .doctors import DEMO_DOCTOR_RPPS

DEMO_PASSWORD_FALLBACK = "demo-Observatoire-2026"
DEMO_DOCTOR_EMAIL = "docteur@demo.invalid"
DEMO_ACCOUNTS = [
    # e-mail, group, first name, last name
    (DEMO_DOCTOR_EMAIL, "doctor", "Anatole", "Quérel"),
    ("moderation@demo.invalid", "moderator", "Maud", "Relecture"),
    ("redaction@demo.invalid", "editor", "Émile", "Rédac"),
    ("analyse@demo.invalid", "analyst", "Ada", "Statistique"),
    ("editeur@demo.invalid", "vendor", "Victor", "Commercial"),
]
DEMO_VENDOR_SLUG = "agendoc"


def demo_password():
    return os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_FALLBACK


def seed_accounts():
    """Create the demo accounts when missing; return [(e-mail, role, password or None if it existed)]."""
    User = get_user_model()
    password = demo_password()
    accounts = []
    for email, group, first_name, last_name in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(
                username=email,
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
                is_staff=group in ("moderator", "editor", "analyst"),
            )
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        accounts.append((email, group, password if created else None))
        if group == "doctor":
            doctor = Doctor.objects.get(rpps=DEMO_DOCTOR_RPPS)
            if doctor.user_id is None:
                doctor.user = user
                doctor.last_name, doctor.first_name = last_name, first_name
                doctor.email_confirmed_at = timezone.now()
                doctor.save(
                    update_fields=["user", "last_name", "first_name", "email_confirmed_at", "updated_at"]
                )
        if group == "vendor":
            vendor = Vendor.objects.filter(slug=DEMO_VENDOR_SLUG).first()
            if vendor is not None:
                VendorMembership.objects.get_or_create(user=user, vendor=vendor)
    return accounts


def seed_demo_doctor_history(campaigns, moderator):
    """Give the demo doctor's account spring answers (one comment published, one refused)."""
    doctor = Doctor.objects.get(rpps=DEMO_DOCTOR_RPPS)
    spring = campaigns["printemps-2026"]
    if Response.objects.filter(doctor=doctor, campaign=spring).exists():
        return
    products = {p.slug: p for p in Product.objects.filter(slug__in=["medilogix-cabinet", "agendoc-pro"])}
    rows = [
        (
            "medilogix-cabinet",
            4,
            "Solide pour la facturation ; le support met du temps en période de mise à jour.",
            "approved",
        ),
        (
            "agendoc-pro",
            3,
            "Des patients m'ont dit avoir été orientés vers une autre plateforme.",
            "rejected",
        ),
    ]
    for slug, value, comment, state in rows:
        if slug not in products:
            continue
        response = Response.objects.create(
            doctor=doctor,
            product=products[slug],
            campaign=spring,
            status=Response.Status.SUBMITTED,
            submitted_at=datetime.datetime(2026, 3, 12, 20, 30, tzinfo=datetime.UTC),
            recommend=7 if value >= 4 else 5,
            comment=comment,
            comment_status=state,
            comment_rejection_reason=(
                rejection_text(
                    RejectionReason.NOT_ABOUT_PRODUCT,
                    "Le témoignage rapporte des propos de patients sans décrire votre usage de l'outil.",
                )
                if state == "rejected"
                else ""
            ),
            **dict.fromkeys(FACET_SLUGS, value),
        )
        ModerationEvent.objects.create(
            response=response,
            action=(
                ModerationEvent.Action.APPROVE_COMMENT
                if state == "approved"
                else ModerationEvent.Action.REJECT_COMMENT
            ),
            actor=moderator,
            reason_code="" if state == "approved" else RejectionReason.NOT_ABOUT_PRODUCT,
            at=datetime.datetime(2026, 3, 14, 9, tzinfo=datetime.UTC),
        )
