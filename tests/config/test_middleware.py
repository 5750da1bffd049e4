"""A NUL byte anywhere in a request answers 400 before it reaches a view or the database."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")


def assert_refused(response):
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/comparer/?p=%00&p=x",
        "/outils/?q=%00",
        "/outils/?%00=1",
        "/outils/%00/",
        "/compte/confirmation/%00/",
        "/une-page%00/",
    ],
)
def test_a_nul_byte_in_the_path_or_the_query_string_answers_400(client, url):
    assert_refused(client.get(url))


def test_a_nul_byte_in_a_posted_field_answers_400(client):
    url = reverse("surveys:login")
    assert_refused(client.post(url, {"username": "a@example.org\x00", "password": "x"}))
    assert_refused(client.post(url, {"user\x00name": "a@example.org", "password": "x"}))
    upload = SimpleUploadedFile("a.csv", b"rpps\n")
    assert_refused(client.post(url, {"username": "a@example.org", "fi\x00le": upload}))


def test_the_reason_is_translated(client):
    response = client.get("/comparer/?p=%00", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "caractère NUL" in response.content.decode()


def test_requests_without_nul_pass(client):
    assert client.get("/comparer/?p=x&p=y").status_code == 200
    assert client.post(
        reverse("surveys:login"), {"username": "a@example.org", "password": "x"}
    ).status_code in {
        200,
        302,
    }


def test_the_api_is_told_in_json(client):
    response = client.get("/api/v1/products/", {"q": "agenda\x00"})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "NUL" in response.json()["detail"]
