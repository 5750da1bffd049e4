"""Hardening (issue 13, item 3): a Content-Security-Policy with no outside source and no inline script on
the public pages, frame-ancestors set, and a Permissions-Policy on every response."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _policy(response):
    header = response["Content-Security-Policy"]
    return {name: values.split() for name, _, values in (d.strip().partition(" ") for d in header.split(";"))}


@pytest.mark.parametrize(
    "url",
    ["/", "/en/", "/outils/", "/classements/", "/comparer/", "/recherche/?q=agenda", "/compte/connexion/",
     "/api/v1/docs/", "/api/v1/products/"],
)  # fmt: skip
def test_public_responses_carry_a_policy_with_no_outside_source_and_no_inline_script(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no other host
    assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"]
    for directive, sources in policy.items():
        for source in sources:
            assert source in ("'self'", "'none'", "'unsafe-inline'", "data:"), (directive, source)
    assert "'unsafe-inline'" not in policy.get("default-src", [])
    assert response["Permissions-Policy"].startswith("camera=()")


def test_the_api_docs_run_no_inline_script(client):
    html = client.get(reverse("api:docs")).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []  # each script is a file of the site


def test_the_admin_keeps_its_own_inline_scripts_and_is_not_framed_by_others(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response and response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    assert "Permissions-Policy" in response
