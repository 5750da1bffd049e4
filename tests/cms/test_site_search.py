"""Site search (/recherche/): tools, vendors and pages, accents and case aside, hostile queries harmless."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "search-admin-password")
    call_command("seed_demo", stdout=io.StringIO())


def results(client, query):
    page = BeautifulSoup(client.get(reverse("cms:search"), {"q": query}).content, "html.parser")
    return {
        section["aria-labelledby"]: [a.get_text() for a in section.select("li a")]
        for section in page.select("section[aria-labelledby^=found-]")
    }


def test_search_finds_tools_vendors_and_pages(client, demo):
    from cms.models import ExpertReviewPage

    found = results(client, "medilogix")
    assert "Medilogix Cabinet" in found["found-tools"] and "Medilogix" in found["found-vendors"]
    review = ExpertReviewPage.objects.live().first()
    assert review.title in results(client, review.title.split()[0])["found-pages"]
    assert results(client, "méthode")["found-pages"] or results(client, "methodologie")["found-pages"]


def test_accents_and_case_do_not_matter(client, demo):
    assert results(client, "TÉLÉCONSULTATION") == results(client, "teleconsultation") != {}


@pytest.mark.parametrize("query", ['AND OR "', "(*) NEAR", "x" * 5000, "'; DROP TABLE", "²"])
def test_hostile_queries_answer_200(client, demo, query):
    assert client.get(reverse("cms:search"), {"q": query}).status_code == 200


def test_a_nul_byte_is_refused_as_every_query_string_with_one(client):
    assert client.get(reverse("cms:search"), {"q": "a\x00b"}).status_code == 400


def test_every_page_has_the_search_box(client):
    page = BeautifulSoup(client.get(reverse("cms:product_list")).content, "html.parser")
    form = page.find("form", attrs={"role": "search"})
    assert form["action"] == reverse("cms:search") and form.find("input", attrs={"name": "q"})
