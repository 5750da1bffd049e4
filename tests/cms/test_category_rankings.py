"""Each category's ranking has a page of its own: the §6 table, the order note, limited tools apart."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from analytics import published
from ratings.models import FACET_SLUGS, Category, Product
from tests.analytics import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked():
    camp = builders.campaign()
    agenda = builders.catalogue(4, vendor="agendoc", category="agenda")
    other = builders.catalogue(2, vendor="visio", category="teleconsultation")
    for product, (n, level) in zip(agenda, [(40, 4), (30, 3), (25, 5), (8, 5)], strict=True):
        builders.answer(builders.doctors(n), product, camp, dict.fromkeys(FACET_SLUGS, level))
    for product in other:
        builders.answer(builders.doctors(25), product, camp, dict.fromkeys(FACET_SLUGS, 3))
    call_command("recompute_scores", stdout=io.StringIO())
    return {"agenda": agenda, "other": other}


def test_a_category_page_shows_its_ranking_in_the_read_apis_order_and_limited_tools_apart(client, ranked):
    category = Category.objects.get(slug="agenda")
    page = BeautifulSoup(client.get(reverse("cms:category_ranking", args=["agenda"])).content, "html.parser")
    assert category.name in page.find("h1").get_text()
    snapshot = published.current_snapshot()
    expected = published.rankings(snapshot, Product.objects.listed().filter(category=category))[0]
    rows = [tr.find("th").find("a").get_text() for tr in page.select("table tbody tr")]
    assert rows == [r.product.name for r in expected.ranked] and len(rows) == 3
    limited = [li.find("a").get_text() for li in page.select("section ul li")]
    assert limited == [r.product.name for r in expected.limited] == [ranked["agenda"][3].name]
    # Only this category's tools.
    assert not {p.name for p in ranked["other"]} & set(rows + limited)
    section = page.find("section")
    assert page.find(id=section["aria-labelledby"]) is not None


def test_the_rankings_page_links_each_category_and_the_sitemap_lists_them(client, ranked):
    page = BeautifulSoup(client.get(reverse("cms:rankings")).content, "html.parser")
    links = {a["href"] for a in page.select("section h2 a")}
    assert links == {reverse("cms:category_ranking", args=[s]) for s in ("agenda", "teleconsultation")}
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/classements/agenda/" in sitemap and "/classements/teleconsultation/" in sitemap


def test_an_unknown_category_is_404_and_an_unranked_one_says_so(client, ranked):
    assert client.get(reverse("cms:category_ranking", args=["nothing"])).status_code == 404
    Category.objects.create(name="Vide", slug="vide")
    page = client.get(reverse("cms:category_ranking", args=["vide"])).content.decode()
    assert "<table" not in page and ("enough responses" in page or "assez de réponses" in page)
