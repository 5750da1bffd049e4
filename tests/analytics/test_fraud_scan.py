"""The statistical fraud signals end to end: detected over the database, stored as flags, never deleting."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from analytics.fraud_scan import load_submitted, scan_for_fraud
from analytics.models import ProductScore
from ratings.models import FACET_SLUGS, Methodology
from surveys.models import Response, ResponseFlag

from . import builders

pytestmark = pytest.mark.django_db


def facets(value, **overrides):
    return dict.fromkeys(FACET_SLUGS, value) | overrides


def kinds(response):
    return set(ResponseFlag.objects.filter(response=response).values_list("kind", flat=True))


def test_shared_network_and_fingerprint():
    product, other = builders.catalogue(2)
    camp = builders.campaign()
    same = builders.answer(builders.doctors(3), product, camp, facets(4), network_prefix="203.0.113.0/24")
    two = builders.answer(builders.doctors(2), other, camp, facets(4), network_prefix="198.51.100.0/24")
    browser = builders.answer(builders.doctors(3), other, camp, facets(3), fingerprint="f" * 64)
    scan_for_fraud(methodology=Methodology.objects.current())
    assert all(kinds(r) == {"shared_network"} for r in same)
    assert all(kinds(r) == set() for r in two)  # two raters sharing a network is not a signal
    assert all(kinds(r) == {"shared_fingerprint"} for r in browser)


def test_outlier_among_ten_or_more():
    (product,) = builders.catalogue(1)
    camp = builders.campaign()
    regular = builders.answer(
        builders.doctors(11), product, camp, [facets(4)] * 6 + [facets(4, support=3)] * 5
    )
    odd = builders.answer(builders.doctors(1), product, camp, facets(1))[0]
    scan_for_fraud(methodology=Methodology.objects.current())
    assert kinds(odd) == {"outlier"}
    assert not ResponseFlag.objects.filter(response__in=regular).exists()


def test_straight_lining_is_flagged_only_against_the_category():
    suspect, *honest = builders.catalogue(4)
    camp = builders.campaign()
    varied = [facets(4, support=3, features=5)] * 40
    lined = builders.answer(builders.doctors(30), suspect, camp, facets(5))
    builders.answer(builders.doctors(10), suspect, camp, varied[:10])
    for product in honest:
        builders.answer(builders.doctors(40), product, camp, varied)
    scan_for_fraud(methodology=Methodology.objects.current())
    assert all("straight_lining" in kinds(r) for r in lined)
    assert not ResponseFlag.objects.filter(kind="straight_lining").exclude(response__in=lined).exists()


def test_burst_of_responses_in_a_week():
    product, quiet = builders.catalogue(2)
    camp = builders.campaign(
        "automne", opens=datetime.date(2026, 1, 1), closes=datetime.date(2026, 12, 31), status="open"
    )
    now = timezone.now()
    old = builders.answer(builders.doctors(3), quiet, camp, facets(3))
    Response.objects.filter(pk__in=[r.pk for r in old]).update(submitted_at=now - datetime.timedelta(days=40))
    burst = builders.answer(builders.doctors(15), product, camp, [facets(5, support=4)] * 15)
    Response.objects.filter(pk__in=[r.pk for r in burst]).update(
        submitted_at=now - datetime.timedelta(days=1)
    )
    new = scan_for_fraud(methodology=Methodology.objects.current(), as_of=now)
    assert new["burst"] == 15
    assert all("burst" in kinds(r) for r in burst)
    # Running again raises nothing new.
    assert scan_for_fraud(methodology=Methodology.objects.current(), as_of=now)["burst"] == 0


def test_times_of_submission_are_read_exactly():
    """The scan reads submission times as text (faster than the driver's datetimes): the same instants."""
    (product,) = builders.catalogue(1)
    camp = builders.campaign("automne", opens=datetime.date(2026, 1, 1), closes=datetime.date(2026, 12, 31))
    responses = builders.answer(builders.doctors(3), product, camp, facets(3))
    instants = [
        datetime.datetime(2026, 3, 1, 23, 59, 59, 999_999, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        datetime.datetime(2026, 10, 25, 0, 0, 0, 1, tzinfo=datetime.UTC),
    ]
    for response, instant in zip(responses, instants, strict=True):
        Response.objects.filter(pk=response.pk).update(submitted_at=instant)
    frame = load_submitted().set_index("id")
    read = {pk: frame.at[pk, "submitted_at"].to_pydatetime() for pk in frame.index}
    assert read == {response.pk: instant for response, instant in zip(responses, instants, strict=True)}


def test_recompute_reports_the_score_without_flagged_responses():
    (product,) = builders.catalogue(1)
    camp = builders.campaign()
    builders.answer(builders.doctors(20), product, camp, [facets(4)] * 10 + [facets(4, support=3)] * 10)
    builders.answer(builders.doctors(3), product, camp, facets(1), network_prefix="203.0.113.0/24")
    call_command("recompute_scores", stdout=io.StringIO())
    score = ProductScore.objects.get(product=product)
    assert score.n_flagged >= 3
    assert score.n_respondents == 23  # flags never remove a response
    assert score.score_without_flagged > score.doctor_score


def test_a_price_above_twenty_times_the_category_median_is_flagged_for_a_person_not_dropped():
    from decimal import Decimal

    cheap, dear = builders.catalogue(2)
    camp = builders.campaign()
    usual = builders.answer(builders.doctors(11), cheap, camp, facets(4))
    for response, price in zip(usual, [30, 35, 40, 45, 50, 40, 40, 38, 42, 39, 41], strict=True):
        Response.objects.filter(pk=response.pk).update(price_paid=Decimal(price))
    typo = builders.answer(builders.doctors(1), dear, camp, facets(4), price_paid=Decimal("4000"))[0]
    # 20 × the category's median (40 €) is 800 €: 799 € is not flagged, 4,000 € is.
    high = builders.answer(builders.doctors(1), dear, camp, facets(4), price_paid=Decimal("799"))[0]
    scan_for_fraud(methodology=Methodology.objects.current())
    assert kinds(typo) == {"price_outlier"}
    assert kinds(high) == set() and not ResponseFlag.objects.filter(response__in=usual).exists()
    assert Response.objects.get(pk=typo.pk).price_paid == Decimal("4000")  # kept as answered
