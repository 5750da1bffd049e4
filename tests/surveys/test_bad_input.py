"""Ids posted by the survey and conflicts pages: anything but ASCII digits answers 400, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from surveys.models import ConflictOfInterest, Response
from tests.factories import CampaignFactory, DoctorFactory, ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db

# '²' passes str.isdigit() but not int(); 2**63 is one past the largest BigAutoField id.
NOT_AN_ID = ["²", "-1", "1.5", str(2**63), "99999999999999999999", "x" * 10_000]


@pytest.fixture(autouse=True)
def _english():
    """The assertions read the English messages: the URLs are reversed under /en/ (English pages)."""
    with translation.override("en"):
        yield


@pytest.fixture
def doctor_client():
    doctor = DoctorFactory()
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(doctor.user)
    return client, doctor


@pytest.mark.parametrize("value", NOT_AN_ID)
def test_pick_tools_refuses_an_id_that_is_not_ascii_digits(doctor_client, value):
    client, doctor = doctor_client
    product = ProductFactory()
    campaign = CampaignFactory(categories=[product.category])
    url = reverse("surveys:pick_tools", args=[campaign.slug])

    response = client.post(url, {"product": [str(product.pk), value], "shown": [str(product.pk)]})

    assert response.status_code == 400
    assert "Tools you use" in response.content.decode()
    assert not Response.objects.filter(doctor=doctor).exists()


def test_pick_tools_still_adds_the_ticked_tools(doctor_client):
    client, doctor = doctor_client
    product = ProductFactory()
    campaign = CampaignFactory(categories=[product.category])
    url = reverse("surveys:pick_tools", args=[campaign.slug])

    response = client.post(url, {"product": [str(product.pk)], "shown": [str(product.pk)]})

    assert response.status_code == 302
    assert Response.objects.filter(doctor=doctor, product=product).exists()


@pytest.mark.parametrize("value", NOT_AN_ID)
def test_removing_a_conflict_refuses_an_id_that_is_not_ascii_digits(doctor_client, value):
    client, doctor = doctor_client
    conflict = ConflictOfInterest.objects.create(doctor=doctor, vendor=VendorFactory(), description="x")

    response = client.post(reverse("surveys:conflicts"), {"action": "remove", "conflict": value})

    assert response.status_code == 400
    assert "Link to remove" in response.content.decode()
    assert ConflictOfInterest.objects.filter(pk=conflict.pk).exists()
