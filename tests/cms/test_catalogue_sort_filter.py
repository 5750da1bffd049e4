"""The catalogue: sorting, pagination, score filters, accent-free search, yes/no filters on "any", bad input."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from analytics import published
from cms.catalogue import PER_PAGE
from ratings.models import FACET_SLUGS, Product
from tests.analytics import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    camp = builders.campaign()
    products = builders.catalogue(PER_PAGE + 6, vendor="agendoc", category="agenda")
    # Respondents 3..32 and scores rising with them: some insufficient, some limited, most ranked.
    for i, product in enumerate(products):
        level = 2 + (i % 4)
        builders.answer(builders.doctors(3 + i), product, camp, dict.fromkeys(FACET_SLUGS, level))
    Product.objects.filter(pk=products[0].pk).update(name="Téléconsult Étoile")
    call_command("recompute_scores", stdout=io.StringIO())
    return products


def names(client, query=""):
    page = BeautifulSoup(client.get(reverse("cms:product_list") + query).content, "html.parser")
    return [a.get_text() for a in page.select("article.card h3 a")], page


def figures():
    return published.product_scores(published.current_snapshot())


def test_each_sort_orders_the_whole_list_as_the_read_api_says(client, catalogue):
    scores = figures()
    everything = list(Product.objects.listed())

    def expected(key):
        return [p.name for p in sorted(everything, key=key)]

    def shown(p):
        return scores[p.pk].display_score if p.pk in scores and scores[p.pk].display_score is not None else -1

    status_order = {"ok": 0, "limited": 1}
    orders = {
        "score": lambda p: (-shown(p), p.name.lower()),
        "respondents": lambda p: (-scores[p.pk].n_respondents, p.name.lower()),
        "name": lambda p: (p.name.lower(), p.pk),
        "newest": lambda p: (-p.created_at.timestamp(), p.pk),
        "ranked": lambda p: (
            status_order.get(scores[p.pk].status, 2),
            -(scores[p.pk].ranked_score if scores[p.pk].ranked_score is not None else -99),
            p.name.lower(),
        ),
    }
    for sort, key in orders.items():
        first, _ = names(client, f"?sort={sort}")
        second, _ = names(client, f"?sort={sort}&page=2")
        assert first + second == expected(key), sort
    assert names(client)[0] == names(client, "?sort=ranked")[0]


def test_pages_keep_the_filters_and_say_where_the_reader_is(client, catalogue):
    first, page = names(client, "?sort=name")
    assert len(first) == PER_PAGE and page.find("h2", id="results-heading").get_text(strip=True).startswith(
        "30"
    )
    nav = page.find("nav", class_="pagination")
    assert nav.find(attrs={"aria-current": "page"}).get_text() == "1"
    next_link = nav.find("a", rel="next")["href"]
    assert "sort=name" in next_link and "page=2" in next_link
    second, _ = names(client, next_link)
    assert len(second) == 6 and not set(first) & set(second)
    assert names(client, "?sort=name&page=zzz")[0] == first  # a bad page number shows the first page
    assert names(client, "?sort=name&page=99")[0] == second  # past the end: the last page


def test_minimum_score_minimum_respondents_and_status_filter_on_the_published_figures(client, catalogue):
    scores = figures()
    listed = list(Product.objects.listed())
    at_least = {
        p.name for p in listed if scores[p.pk].display_score is not None and scores[p.pk].display_score >= 4
    }
    found, _ = names(client, "?min_score=4&page_size=100")
    more, _ = names(client, "?min_score=4&page=2")
    assert set(found + more) == at_least and at_least
    many = {p.name for p in listed if scores[p.pk].n_respondents >= 25}
    assert set(names(client, "?min_respondents=25")[0]) == many
    for status in ("ok", "limited", "insufficient"):
        expected = {p.name for p in listed if scores[p.pk].status == status}
        got = names(client, f"?status={status}")[0] + names(client, f"?status={status}&page=2")[0]
        assert set(got) == expected and expected, status


@pytest.mark.parametrize("query", ["tele", "TÉLÉ", "étoile", "Teleconsult etoile"])
def test_search_ignores_accents_and_case(client, catalogue, query):
    found, page = names(client, f"?q={query}")
    assert found == ["Téléconsult Étoile"]
    # The vendor's name matches too: every tool of Agendoc, in capitals.
    _, page = names(client, "?q=AGENDOC")
    assert page.find("h2", id="results-heading").get_text(strip=True).startswith("30")


def test_yes_no_filters_start_on_any(client, catalogue):
    _, page = names(client)
    select = page.find("select", attrs={"name": "certified_hds"})
    options = [(o.get("value"), o.get_text(), o.has_attr("selected")) for o in select.find_all("option")]
    assert options[0][0] == "" and options[0][2] is True
    assert options[0][1] in ("any", "indifférent")
    assert "Unknown" not in select.get_text() and "Inconnu" not in select.get_text()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?min_score=abc", "min_score"),
        ("?min_score=9", "min_score"),
        ("?min_respondents=%C2%B2", "min_respondents"),
        ("?status=great", "status"),
        ("?sort=zzz", "sort"),
        ("?min_score=%00", "min_score"),
    ],  # fmt: skip
)
def test_bad_values_are_named_on_the_form_and_the_list_stays(client, catalogue, query, field):
    response = client.get(reverse("cms:product_list") + query)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        page = BeautifulSoup(response.content, "html.parser")
        assert page.find("details", class_="filters").has_attr("open")
        wrong = page.select_one(".field-error")
        assert wrong is not None and wrong.find(attrs={"name": field}) is not None
        assert len(page.select("article.card")) == PER_PAGE
