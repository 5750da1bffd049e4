import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from ratings.models import FACET_SLUGS, VendorMembership
from tests.analytics import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports():
    ours = builders.catalogue(1, vendor="agendoc", category="agenda")[0]
    theirs = builders.catalogue(1, vendor="rdvsante", category="agenda")[0]
    camp = builders.campaign()
    builders.answer(builders.doctors(6), ours, camp, dict.fromkeys(FACET_SLUGS, 4))
    builders.answer(builders.doctors(6), theirs, camp, dict.fromkeys(FACET_SLUGS, 2))
    call_command("recompute_scores", stdout=io.StringIO())
    User = get_user_model()
    vendor_user = User.objects.create_user(username="v", email="v@agendoc.example", password="x")
    VendorMembership.objects.create(user=vendor_user, vendor=ours.vendor)
    doctor_user = User.objects.create_user(username="d", email="d@example.org", password="x")
    staff = User.objects.create_user(username="s", email="s@example.org", password="x", is_staff=True)
    return {"ours": ours, "theirs": theirs, "vendor": vendor_user, "doctor": doctor_user, "staff": staff}


def test_anonymous_is_asked_to_sign_in(client, reports):
    response = client.get(reverse("vendor_reports"))
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_a_signed_in_user_without_a_vendor_is_refused(client, reports):
    client.force_login(reports["doctor"])
    assert client.get(reverse("vendor_reports")).status_code == 403
    url = reverse("vendor_report_export", args=[reports["ours"].vendor.slug])
    assert client.get(url).status_code == 404


def test_a_vendor_sees_only_its_own_products(client, reports):
    client.force_login(reports["vendor"])
    page = client.get(reverse("vendor_reports"))
    assert page.status_code == 200
    assert [p for p, _, _ in page.context["rows"]] == [reports["ours"]]
    assert reports["theirs"].name not in page.content.decode()
    export = client.get(reverse("vendor_report_export", args=[reports["ours"].vendor.slug]))
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [r["product"] for r in rows] == [reports["ours"].slug]
    other = client.get(reverse("vendor_report_export", args=[reports["theirs"].vendor.slug]))
    assert other.status_code == 404


def test_staff_see_every_vendor(client, reports):
    client.force_login(reports["staff"])
    page = client.get(reverse("vendor_reports"))
    assert {p for p, _, _ in page.context["rows"]} == {reports["ours"], reports["theirs"]}
