import json
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from surveys.models import ConflictOfInterest, Doctor, ModerationEvent, Response, ResponseFlag
from surveys.services.accounts import declare_conflict
from surveys.services.flags import raise_flags
from surveys.services.moderation import reject_comment
from surveys.services.responses import save_response
from surveys.signals import scores_invalidated
from tests.factories import (
    PASSWORD,
    CampaignFactory,
    DoctorFactory,
    ProductFactory,
    ResponseFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated():
    doctor = DoctorFactory(last_name="Moreau", first_name="Jeanne", specialty="cardiology", region="84")
    other = DoctorFactory(last_name="Petit")
    product, draft_product = ProductFactory(name="CardioLog"), ProductFactory(name="EcgPro")
    campaign = CampaignFactory(categories=[product.category, draft_product.category])
    submitted = save_response(
        doctor=doctor,
        product=product,
        campaign=campaign,
        answers={"ease_of_use": 2, "support": 5},
        recommend=7,
        comment="Support réactif, ergonomie datée.",
        submit=True,
        network_prefix="198.51.100.0/24",
        fingerprint="f" * 64,
        situation={"practice_setting": "solo", "price_paid": Decimal("129.00"), "price_increased": True,
                   "commitment_months": 12, "considering_switch": True, "previous_product_other": "Ancien outil"},
    )  # fmt: skip
    save_response(
        doctor=doctor, product=draft_product, campaign=campaign, answers={"support": 1}, comment="brouillon"
    )
    ResponseFactory(doctor=other, product=product, campaign=campaign, comment="Autre médecin, autre avis.")
    declare_conflict(doctor=doctor, vendor=ProductFactory().vendor, description="Ancienne salariée")
    reject_comment(
        response=submitted, moderator=StaffFactory(), reason_code="other", reason_text="cite Mme Moreau"
    )
    raise_flags(flags=[ResponseFlag(response=submitted, kind="vendor_domain", detail="cabinet-moreau.fr")])
    submitted.refresh_from_db()
    return {"doctor": doctor, "other": other, "submitted": submitted, "campaign": campaign}


def test_download_contains_all_my_data_and_nobody_elses(client, rated):
    doctor = rated["doctor"]
    client.force_login(doctor.user)

    response = client.get(reverse("surveys:export_data"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == doctor.user.email
    assert data["doctor"]["rpps"] == doctor.rpps
    assert data["doctor"]["last_name"] == "Moreau"
    assert data["conflicts_of_interest"][0]["description"] == "Ancienne salariée"
    by_product = {r["product_name"]: r for r in data["responses"]}
    assert set(by_product) == {"CardioLog", "EcgPro"}
    assert by_product["CardioLog"]["answers"]["ease_of_use"] == 2
    assert by_product["CardioLog"]["comment"] == "Support réactif, ergonomie datée."
    assert by_product["CardioLog"]["comment_status"] == "rejected"
    assert "cite Mme Moreau" in by_product["CardioLog"]["comment_rejection_reason"]
    assert by_product["EcgPro"]["status"] == "draft"
    card = by_product["CardioLog"]
    assert (card["practice_setting"], card["price_paid_per_month"], card["price_increased"]) == (
        "solo",
        "129.00",
        True,
    )
    assert (card["commitment_months"], card["considering_switch"], card["previous_product"]) == (
        12,
        True,
        None,
    )
    assert card["previous_product_other"] == "Ancien outil"
    body = response.content.decode()
    assert "Petit" not in body and "Autre médecin" not in body
    assert rated["other"].rpps not in body and rated["other"].user.email not in body


def test_download_needs_a_signed_in_user(client):
    response = client.get(reverse("surveys:export_data"))
    assert response.status_code == 302


def test_deletion_needs_the_password(client, rated):
    doctor = rated["doctor"]
    client.force_login(doctor.user)
    response = client.post(reverse("surveys:delete_account"), {"password": "pas le bon"})
    assert response.status_code == 200
    assert 'id="id_password_error"' in response.content.decode()
    assert get_user_model().objects.filter(pk=doctor.user.pk).exists()


def test_deletion_erases_identity_and_anonymises_the_responses(client, rated):
    doctor, submitted = rated["doctor"], rated["submitted"]
    user_pk, rpps, email = doctor.user.pk, doctor.rpps, doctor.user.email
    AccessAttempt.objects.create(
        username=email, ip_address="127.0.0.1", user_agent="x", failures_since_start=1
    )
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs["reason"])

    scores_invalidated.connect(receiver)
    client.force_login(doctor.user)
    try:
        response = client.post(reverse("surveys:delete_account"), {"password": PASSWORD})
    finally:
        scores_invalidated.disconnect(receiver)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(pk=user_pk).exists()
    assert not AccessAttempt.objects.filter(username=email).exists()
    assert received == ["account_deleted"]

    doctor.refresh_from_db()
    assert doctor.user is None
    assert doctor.anonymised_at is not None
    assert (doctor.last_name, doctor.first_name) == ("", "")
    assert doctor.rpps != rpps and not doctor.rpps.isdigit() and len(doctor.rpps) == 11
    assert not Doctor.objects.filter(rpps=rpps).exists()
    # The coarse profile the scores are weighted on remains, and so do the submitted answers.
    assert (doctor.specialty, doctor.region, doctor.verification_status) == ("cardiology", "84", "verified")
    assert list(Response.objects.filter(doctor=doctor)) == [submitted]
    submitted.refresh_from_db()
    assert (submitted.ease_of_use, submitted.support, submitted.recommend, submitted.status) == (
        2,
        5,
        7,
        "submitted",
    )
    assert submitted.comment == "" and submitted.comment_status == "none"
    assert submitted.network_prefix == "" and submitted.fingerprint == ""
    assert ModerationEvent.objects.get(response=submitted).reason_text == ""
    assert ResponseFlag.objects.get(response=submitted).detail == ""
    assert ConflictOfInterest.objects.get(doctor=doctor).description == ""
    # The other doctor is untouched.
    assert Response.objects.get(doctor=rated["other"]).comment == "Autre médecin, autre avis."

    # Nothing left to sign in with, and the RPPS number is free for a new sign-up.
    client.post(reverse("surveys:login"), {"username": email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("surveys:signup")).status_code == 200
