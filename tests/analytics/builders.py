"""Small builders for analytics tests: a catalogue, doctors and submitted responses in bulk."""

import datetime
import itertools

from django.utils import timezone

from ratings.models import FACET_SLUGS
from ratings.services import create_product, get_or_create_category, get_or_create_vendor
from surveys.models import Campaign, Doctor, Response
from surveys.rpps import luhn_check_digit

_serial = itertools.count(1)


def rpps():
    base = f"1{next(_serial):09d}"
    return base + luhn_check_digit(base)


def catalogue(n_products=3, *, category="teleconsultation", vendor="visio"):
    v = get_or_create_vendor(slug=vendor, name=vendor.title(), email_domains=f"{vendor}.example")
    c = get_or_create_category(slug=category, name=category.title())
    return [create_product(name=f"{vendor} {category} {i}", vendor=v, category=c) for i in range(n_products)]


def campaign(
    slug="printemps-2026", opens=datetime.date(2026, 3, 1), closes=datetime.date(2026, 4, 30), status="closed"
):
    return Campaign.objects.create(slug=slug, title=slug, opens_on=opens, closes_on=closes, status=status)


def doctors(n, *, specialty="general_practice", status="verified"):
    created = Doctor.objects.bulk_create(
        Doctor(
            rpps=rpps(),
            specialty=specialty,
            verification_status=status,
            verified_by="import" if status == "verified" else "",
        )
        for _ in range(n)
    )
    return list(Doctor.objects.filter(rpps__in=[d.rpps for d in created]).order_by("pk"))


def answer(doctor_list, product, camp, answers, *, recommend=None, **extra):
    """Create one submitted response per doctor; `answers` is {facet: value} or a list of such dicts."""
    rows = []
    for i, doctor in enumerate(doctor_list):
        facet_answers = answers[i] if isinstance(answers, list) else answers
        rows.append(
            Response(
                doctor=doctor,
                product=product,
                campaign=camp,
                status="submitted",
                submitted_at=timezone.make_aware(
                    datetime.datetime.combine(camp.closes_on, datetime.time(12))
                ),
                recommend=recommend[i] if isinstance(recommend, list) else recommend,
                **{f: facet_answers.get(f) for f in FACET_SLUGS},
                **extra,
            )
        )
    return Response.objects.bulk_create(rows)
