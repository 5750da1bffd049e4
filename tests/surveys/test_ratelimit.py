from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import reverse

from surveys.models import Doctor
from tests.factories import PASSWORD, CampaignFactory, DoctorFactory, ProductFactory, valid_rpps

pytestmark = pytest.mark.django_db


def signup_data(n):
    return {
        "email": f"medecin{n}@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "rpps": valid_rpps(9_000 + n),
        "last_name": "Roux",
        "first_name": "Paul",
        "specialty": "general_practice",
        "practice_mode": "liberal",
        "region": "",
        "certify": "on",
        "accept_charter": "on",
    }


def test_the_eleventh_sign_up_from_one_address_gets_429(client):
    for n in range(10):
        response = client.post(reverse("surveys:signup"), signup_data(n), REMOTE_ADDR="192.0.2.10")
        assert response.status_code == 302
        client.logout()

    response = client.post(reverse("surveys:signup"), signup_data(10), REMOTE_ADDR="192.0.2.10")

    assert response.status_code == 429
    assert "<h1>" in response.content.decode()
    assert Doctor.objects.count() == 10
    # Another address is not affected; reading the form is never limited.
    assert client.get(reverse("surveys:signup"), REMOTE_ADDR="192.0.2.10").status_code == 200
    assert (
        client.post(reverse("surveys:signup"), signup_data(11), REMOTE_ADDR="192.0.2.11").status_code == 302
    )


def test_sign_in_posts_are_rate_limited_per_address(client, monkeypatch):
    # Counters run in fixed windows of a minute: pin the clock so the 21 requests cannot straddle two (a
    # slow run on PostgreSQL did).
    monkeypatch.setattr("django_ratelimit.core.time", SimpleNamespace(time=lambda: 1_790_000_000.0))
    url = reverse("surveys:login")
    for _ in range(20):
        # Different unknown addresses: axes never locks, only the rate limit counts.
        client.post(url, {"username": f"x{_}@example.org", "password": "x"}, REMOTE_ADDR="192.0.2.20")
    response = client.post(url, {"username": "y@example.org", "password": "x"}, REMOTE_ADDR="192.0.2.20")
    assert response.status_code == 429


def test_survey_saves_are_rate_limited_per_doctor(client, monkeypatch):
    # Counters run in fixed windows: pin the clock so the 61 requests cannot straddle two windows.
    monkeypatch.setattr("django_ratelimit.core.time", SimpleNamespace(time=lambda: 1_790_000_000.0))
    doctor = DoctorFactory()
    product = ProductFactory()
    campaign = CampaignFactory(categories=[product.category])
    client.force_login(doctor.user)
    url = reverse("surveys:rate_tool", args=[campaign.slug, product.slug])
    for _ in range(60):
        assert client.post(url, {"support": "3", "action": "draft"}).status_code == 302
    assert client.post(url, {"support": "3", "action": "draft"}).status_code == 429


def failed_sign_ins(client, email, n):
    return [
        client.post(
            reverse("surveys:login"), {"username": email, "password": "mauvais"}, REMOTE_ADDR="192.0.2.30"
        )
        for _ in range(n)
    ]


def test_axes_locks_out_after_five_failed_sign_ins(client):
    doctor = DoctorFactory()
    email = doctor.user.email

    responses = failed_sign_ins(client, email, 5)

    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert responses[4].status_code == 429
    # Even the right password is refused now.
    response = client.post(
        reverse("surveys:login"), {"username": email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.30"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_LOCKOUT_CALLABLE="surveys.views.locked_out")
def test_lockout_page_explains_what_to_do(client):
    doctor = DoctorFactory()
    failed_sign_ins(client, doctor.user.email, 5)
    response = client.post(
        reverse("surveys:login"),
        {"username": doctor.user.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.30",
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert reverse("surveys:password_reset") in page
    assert "<h1>" in page
