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


def reachable_and_unreachable_margins():
    """Return two products rated by 12 GPs and 12 specialists under a methodology with regions too.

    Raking reaches the margins of the first; the second's GPs all come from one region, whose
    population share is not the GPs' share, so its margins cannot be reached (METHODOLOGY §3).
    """
    from ratings.models import Methodology, PopulationStratum

    methodology = Methodology.objects.current()
    for code, size in (("11", 5000), ("84", 3000), ("93", 2000)):
        PopulationStratum.objects.create(
            methodology=methodology, dimension="region", code=code, label=code, size=size
        )
    reachable, sparse = catalogue(2)
    camp = campaign()
    for product, gp_regions, specialist_regions in (
        (reachable, ["11", "84", "93"] * 4, ["11", "84", "93"] * 4),
        (sparse, ["11"] * 12, ["84", "93"] * 6),
    ):
        gps = doctors(12, specialty="general_practice")
        specialists = doctors(12, specialty="cardiology")
        for doctor, region in zip(gps + specialists, gp_regions + specialist_regions, strict=True):
            Doctor.objects.filter(pk=doctor.pk).update(region=region)
        answer(gps + specialists, product, camp, dict.fromkeys(FACET_SLUGS, 4))
    return reachable, sparse
