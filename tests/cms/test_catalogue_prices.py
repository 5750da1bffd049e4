"""The catalogue's "median price paid" (METHODOLOGY §10): on each card from 10 answers, a filter on it and a
sort by it; a tool with 9 answers shows no price and is never caught by the filter."""

import io
from decimal import Decimal

import numpy as np
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from ratings.models import FACET_SLUGS
from surveys.models import Response
from tests.analytics import builders

pytestmark = pytest.mark.django_db
PRICES = {
    "cheap": [30, 35, 40, 40, 45, 39, 41, 38, 42, 40, 44],
    "dear": [80] * 6 + [90] * 6,
    "nine": [10] * 9,
}


@pytest.fixture
def priced():
    camp = builders.campaign()
    products = dict(zip(PRICES, builders.catalogue(4, vendor="tarifs"), strict=False))
    for name, product in products.items():
        responses = builders.answer(builders.doctors(12), product, camp, dict.fromkeys(FACET_SLUGS, 4))
        for response, price in zip(responses, PRICES[name], strict=False):
            Response.objects.filter(pk=response.pk).update(price_paid=Decimal(price))
    call_command("recompute_scores", stdout=io.StringIO())
    return products


def cards(client, query=""):
    page = BeautifulSoup(client.get(reverse("cms:product_list") + query).content, "html.parser")
    return {
        card.h3.a.get_text(): " ".join(card.find("p", class_="price-paid").get_text().split())
        for card in page.select("article.card")
    }


def test_each_card_shows_the_median_price_paid_or_says_there_are_too_few_answers(client, priced):
    shown = cards(client)
    assert f"{np.median(PRICES['cheap']):.2f}".replace(".", ",") in shown[priced["cheap"].name]
    assert "11" in shown[priced["cheap"].name]
    assert "85,00" in shown[priced["dear"].name]
    for name in ("nine",):
        assert "€" not in shown[priced[name].name]


def test_the_price_filter_and_sort_use_the_published_median(client, priced):
    assert set(cards(client, "?max_price_paid=50")) == {priced["cheap"].name}
    assert set(cards(client, "?max_price_paid=85")) == {priced["cheap"].name, priced["dear"].name}
    order = list(cards(client, "?sort=price_paid"))
    assert order[:2] == [priced["cheap"].name, priced["dear"].name]  # tools without a price come last


@pytest.mark.parametrize("bad", ["-1", "abc", "20000"])
def test_a_bad_price_is_named_on_the_form(client, priced, bad):
    page = BeautifulSoup(
        client.get(reverse("cms:product_list"), {"max_price_paid": bad}).content, "html.parser"
    )
    field = page.find("input", attrs={"name": "max_price_paid"})
    assert field is not None and page.find("details", class_="filters").has_attr("open")
    assert len(page.select("article.card")) == 4  # every tool stays listed meanwhile


def test_the_comparison_prints_the_price_from_ten_answers_only(client, priced):
    page = BeautifulSoup(
        client.get(reverse("cms:compare"), {"p": [priced["cheap"].slug, priced["nine"].slug]}).content,
        "html.parser",
    )
    cells = [
        td.get_text(" ", strip=True) for td in page.find("table", id="compare-prices").find_all("tr")[2]("td")
    ]
    assert cells[0].startswith(f"{np.median(PRICES['cheap']):.2f}".replace(".", ",")) and "n = 11" in cells[0]
    assert "€" not in cells[1] and "10,00" not in cells[1]
