"""Every public page of the demo site answers, in French and in English; the admin's main pages too."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from ratings.models import Category, Product, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "crawl-admin-password")
    call_command("seed_demo", stdout=io.StringIO())


def public_urls():
    urls = [
        "/",
        reverse("cms:product_list"),
        reverse("cms:rankings"),
        reverse("cms:compare"),
        reverse("cms:methodology_redirect"),
    ]
    urls += [p.get_absolute_url() for p in Product.objects.listed()]
    urls += [reverse("cms:vendor_detail", args=[v.slug]) for v in Vendor.objects.all()]
    urls += [f"{reverse('cms:product_list')}?category={c.slug}" for c in Category.objects.all()]
    urls += [page.url for page in Page.objects.live().public().specific() if page.depth > 1]
    for category in Category.objects.all():
        slugs = list(category.products.listed().values_list("slug", flat=True)[:4])
        if len(slugs) >= 2:
            urls.append(reverse("cms:compare") + "?" + "&".join(f"p={s}" for s in slugs))
    return urls


def test_every_public_page_answers_in_french_and_english(demo):
    failures = []
    for language in ("fr", "en"):
        client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE=language)
        for url in public_urls():
            response = client.get(url, follow=True)
            if response.status_code != 200:
                failures.append((language, url, response.status_code))
    assert failures == []


def test_demo_scores_charts_and_admin(demo):
    client = Client(HTTP_HOST="localhost")
    with_charts = 0
    for product in Product.objects.listed():
        response = client.get(product.get_absolute_url())
        score = response.context["score"]
        if score is None or score.status == "insufficient":
            continue
        assert score.doctor_ci_low <= score.doctor_score <= score.doctor_ci_high
        assert score.global_ci_low <= score.global_score <= score.global_ci_high
        assert response.context["charts"], product.slug
        with_charts += 1
    assert with_charts >= 20

    leaders = client.get("/").context["leaders"]
    assert {category for category, _ in leaders} == {
        category
        for category in Category.objects.all()
        if category.products.filter(scores__rank=1, scores__snapshot__is_current=True).exists()
    }
    assert all(score.rank == 1 and score.status == "ok" for _, score in leaders)

    client.force_login(get_user_model().objects.get(email="admin@observatoire.invalid"))
    for name in [
        "wagtailadmin_home",
        "wagtailsnippets_ratings_product:list",
        "wagtailsnippets_ratings_vendor:list",
        "wagtailsnippets_ratings_methodology:list",
        "wagtailsnippets_surveys_doctor:list",
        "wagtailsnippets_surveys_campaign:list",
    ]:
        assert client.get(reverse(name)).status_code == 200, name
    product = Product.objects.first()
    assert client.get(reverse("wagtailsnippets_ratings_product:edit", args=[product.pk])).status_code == 200
