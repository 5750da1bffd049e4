"""Discoverability: sitemap.xml, robots.txt, the Atom feeds linked from every page, and the score badges."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics import published
from cms import localized
from cms.models import ArticlePage, ExpertReviewPage, HomePage
from ratings.models import FACET_SLUGS, Product, Vendor
from tests.analytics import builders

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "discovery-admin-password")
    call_command("seed_demo", stdout=io.StringIO())


def test_the_sitemap_lists_the_pages_the_catalogue_products_vendors_and_rankings(client, demo):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = {loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")}
    base = "http://testserver"
    home = localized.originals(HomePage.objects.live()).get()
    expected = {base + home.url, base + "/en/", base + reverse("cms:product_list")}
    expected.add(base + reverse("cms:rankings"))
    expected.add(base + reverse("cms:open_data"))
    expected |= {base + p.get_absolute_url() for p in Product.objects.listed()}
    expected |= {
        base + reverse("cms:vendor_detail", args=[v.slug])
        for v in Vendor.objects.filter(products__is_listed=True)
    }
    # Every page, in French and in English (the translations' own addresses).
    expected |= {base + p.url for p in ExpertReviewPage.objects.live().public()}
    expected |= {base + p.url for p in ArticlePage.objects.live().public()}
    assert any(url.startswith(base + "/en/articles/") for url in expected)
    missing = expected - urls
    assert not missing, missing
    unlisted = Product.objects.listed().first()
    Product.objects.filter(pk=unlisted.pk).update(is_listed=False)
    again = client.get("/sitemap.xml").content.decode()
    assert unlisted.get_absolute_url() not in again
    assert "/espace-editeur/" not in again and "/compte/" not in again


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_names_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    for private in ("/admin/", "/compte/", "/espace-editeur/", "/enquete/"):
        assert f"Disallow: {private}\n" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /\n" not in text


def test_the_feeds_list_live_reviews_and_articles_newest_first_and_every_page_links_them(client, demo):
    for name, model in (("cms:review_feed", ExpertReviewPage), ("cms:article_feed", ArticlePage)):
        response = client.get(reverse(name))
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)
        entries = feed.findall(f"{ATOM}entry")
        live = localized.originals(model.objects.live().public()).order_by("-first_published_at", "-pk")
        assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
            "http://testserver" + p.url for p in live
        ]
        assert all(e.find(f"{ATOM}summary").text for e in entries)
    draft = localized.originals(ExpertReviewPage.objects.live()).first()
    draft.unpublish()
    links = [
        e.find(f"{ATOM}link").get("href")
        for e in ET.fromstring(client.get(reverse("cms:review_feed")).content).findall(f"{ATOM}entry")
    ]
    assert "http://testserver" + draft.url not in links
    for url in ("/", reverse("cms:product_list")):
        head = client.get(url).content.decode().split("</head>")[0]
        assert 'type="application/atom+xml" title="' in head
        assert (
            f'href="{reverse("cms:review_feed")}"' in head and f'href="{reverse("cms:article_feed")}"' in head
        )


@pytest.fixture
def scored():
    big, limited, thin = builders.catalogue(3, vendor="agendoc", category="agenda")
    camp = builders.campaign()
    builders.answer(builders.doctors(30), big, camp, dict.fromkeys(FACET_SLUGS, 4))
    builders.answer(builders.doctors(8), limited, camp, dict.fromkeys(FACET_SLUGS, 3))
    builders.answer(builders.doctors(3), thin, camp, dict.fromkeys(FACET_SLUGS, 5))
    call_command("recompute_scores", stdout=io.StringIO())
    return {"big": big, "limited": limited, "thin": thin, "campaign": camp}


def badge(client, product, **headers):
    response = client.get(reverse("cms:badge", args=[product.slug]), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    visible = " ".join(t.text for t in root.iter(f"{SVG}text"))
    return response, root, visible


def fr(value):
    return f"{value:.2f}".replace(".", ",")


def test_a_badge_shows_the_published_score_interval_n_campaign_and_status_and_links_to_the_product(
    client, scored
):
    product = scored["big"]
    figures = published.product_score(published.current_snapshot(), product)
    response, root, visible = badge(client, product)
    for text in (product.name, fr(figures.global_score), f"{fr(figures.global_ci_low)}–{fr(figures.global_ci_high)}",
                 f"{figures.n_respondents} médecins", scored["campaign"].title, "classé"):  # fmt: skip
        assert text in visible, text
    assert root.get("role") == "img" and root.get("aria-labelledby") == "badge-title badge-desc"
    assert fr(figures.global_score) in root.find(f"{SVG}title").text
    assert f"{figures.n_respondents} médecins" in root.find(f"{SVG}desc").text
    link = root.find(f"{SVG}a")
    assert link.get("href") == "http://testserver" + product.get_absolute_url()
    assert "max-age" in response["Cache-Control"]


def test_a_limited_score_says_so_and_no_published_score_gives_no_number(client, scored):
    _, _, visible = badge(client, scored["limited"])
    assert "données limitées" in visible and "classé" not in visible
    _, root, visible = badge(client, scored["thin"])
    assert "Pas encore assez de réponses" in visible or "Not enough responses yet" in visible
    assert not re.search(r"\d,\d", visible + root.find(f"{SVG}desc").text)
    assert "3 médecins" not in visible


def test_unknown_or_unlisted_products_have_no_badge(client, scored):
    assert client.get(reverse("cms:badge", args=["nothing-here"])).status_code == 404
    Product.objects.filter(pk=scored["big"].pk).update(is_listed=False)
    assert client.get(reverse("cms:badge", args=[scored["big"].slug])).status_code == 404


def test_a_badge_is_cached_per_snapshot_and_follows_a_recompute(client, scored):
    product = scored["big"]
    badge(client, product)
    with CaptureQueriesContext(connection) as cached:
        _, _, before = badge(client, product)
    builders.answer(builders.doctors(30), product, scored["campaign"], dict.fromkeys(FACET_SLUGS, 1))
    call_command("recompute_scores", stdout=io.StringIO())
    with CaptureQueriesContext(connection) as fresh:
        _, _, after = badge(client, product)
    assert len(cached.captured_queries) < len(fresh.captured_queries)
    assert before != after and "60 médecins" in after


def test_the_vendor_space_gives_each_product_its_embed_code(client, scored):
    from django.contrib.auth import get_user_model

    from ratings.models import VendorMembership

    member = get_user_model().objects.create_user(username="m", email="m@agendoc.example", password="x")
    VendorMembership.objects.create(user=member, vendor=scored["big"].vendor)
    client.force_login(member)
    page = client.get(reverse("cms:vendor_reports")).content.decode()
    product = scored["big"]
    assert (
        f'&lt;a href="http://testserver{product.get_absolute_url()}"&gt;&lt;img src="http://testserver'
        f'{reverse("cms:badge", args=[product.slug])}"'
    ) in page
