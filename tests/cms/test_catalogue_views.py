from decimal import Decimal

import pytest
from django.urls import reverse

from ratings.services import create_product, get_or_create_category, get_or_create_vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    vendor = get_or_create_vendor(slug="allo", name="Allô Conseil")
    other = get_or_create_vendor(slug="medichat", name="MédiChat")
    advice = get_or_create_category(slug="teleconseil", name="Téléconseil")
    video = get_or_create_category(slug="teleconsultation", name="Téléconsultation")
    return {
        "phone": create_product(
            name="Allô 24",
            vendor=vendor,
            category=advice,
            channel_phone=True,
            available_24_7=True,
            price=Decimal("2.50"),
        ),
        "chat": create_product(
            name="MédiChat Live", vendor=other, category=advice, channel_chat=True, price=Decimal("1.99")
        ),
        "video": create_product(
            name="VisioSoin", vendor=other, category=video, channel_video=True, price=Decimal("11.90")
        ),
        "hidden": create_product(name="Retiré", vendor=other, category=video, is_listed=False),
    }


def names(response):
    return {product.name for product, _ in response.context["rows"]}


def test_catalogue_lists_only_listed_products(client, catalogue):
    response = client.get(reverse("cms:product_list"))
    assert names(response) == {"Allô 24", "MédiChat Live", "VisioSoin"}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"category": "teleconseil"}, {"Allô 24", "MédiChat Live"}),
        ({"vendor": "medichat"}, {"MédiChat Live", "VisioSoin"}),
        ({"channel": "video"}, {"VisioSoin"}),
        ({"available_24_7": "true"}, {"Allô 24"}),
        ({"max_price": "3"}, {"Allô 24", "MédiChat Live"}),
        ({"q": "chat"}, {"MédiChat Live", "VisioSoin"}),
    ],
)
def test_catalogue_filters(client, catalogue, params, expected):
    assert names(client.get(reverse("cms:product_list"), params)) == expected


def test_bad_filter_value_shows_the_reason_instead_of_failing(client, catalogue):
    response = client.get(reverse("cms:product_list"), {"category": "does-not-exist", "max_price": "abc"})
    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert "category" in errors and "max_price" in errors


def test_product_page_and_unlisted_product(client, catalogue):
    response = client.get(reverse("cms:product_detail", args=["allo-24"]))
    assert response.status_code == 200
    assert (
        "Not enough responses yet" in response.content.decode() or "Pas encore" in response.content.decode()
    )
    assert client.get(reverse("cms:product_detail", args=["retire"])).status_code == 404


def test_compare_needs_two_to_four_tools(client, catalogue):
    response = client.get(reverse("cms:compare"), {"p": ["allo-24"]})
    assert response.status_code == 200 and response.context["notices"]
    response = client.get(reverse("cms:compare"), {"p": ["allo-24", "visiosoin"]})
    assert [p.slug for p in response.context["products"]] == ["allo-24", "visiosoin"]
    assert response.context["notices"] == []
