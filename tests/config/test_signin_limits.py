"""django-axes records failed sign-ins whatever the length of the name typed (its column holds 255)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# A valid address of 300 characters: the sign-in form's EmailField accepts up to 320.
LONG_EMAIL = "a" * 60 + "@" + ".".join(["b" * 60] * 3) + "." + "c" * 52 + ".fr"


@pytest.mark.parametrize(
    "url, name",
    # The sign-in page, and Wagtail's for private pages (Django's AuthenticationForm: no length check).
    [(reverse("surveys:login"), LONG_EMAIL), ("/_util/login/", "x" * 10_000)],
)
def test_a_failed_sign_in_with_a_very_long_name_is_recorded_cut_to_the_column(url, name):
    client = Client(raise_request_exception=False)
    response = client.post(url, {"username": name, "password": "wrong"})
    assert response.status_code == 200
    attempt = AccessAttempt.objects.get()
    assert attempt.username == name[:255]


def test_the_lockout_still_counts_the_cut_name():
    client = Client(raise_request_exception=False)
    for _ in range(5):
        client.post(reverse("surveys:login"), {"username": LONG_EMAIL, "password": "wrong"})
    assert AccessAttempt.objects.get().failures_since_start == 5
    assert client.post(reverse("surveys:login"), {"username": LONG_EMAIL, "password": "x"}).status_code == 429
