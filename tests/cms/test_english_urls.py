"""English under /en/, French at the root (issue 12, item 1): every public URL pattern in both languages.

The patterns are read from the URL resolver (everything under the language prefix), so a new page
without an English twin fails here. For each, a demo value fills its arguments; the test asks it at the
root and under /en/ as an anonymous reader and checks that both answer alike, that an HTML page says
its language and links its twin both ways (`hreflang`), that the switcher leads to the same page in the
other language, and that a sign-in redirect keeps the language.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from wagtail.models import Page

from cms import localized
from ratings.models import Category, Product, Vendor
from surveys.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "english-admin-password")
    call_command("seed_demo", stdout=io.StringIO())


def _localised_patterns():
    """Yield (route, pattern) of every view under the language prefix, the route as written (French)."""

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry

    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern):
            yield from walk(entry.url_patterns, "")


def _samples():
    product = Product.objects.listed().order_by("slug").first()
    campaign = Campaign.objects.exclude(status="draft").order_by("-closes_on").first()
    return {
        "slug": {
            "product_detail": product.slug,
            "badge": product.slug,
            "vendor_detail": Vendor.objects.order_by("slug").first().slug,
            "category_ranking": Category.objects.order_by("slug").first().slug,
            "vendor_reply": product.slug,
            "vendor_report_export": product.slug,
            "campaign": campaign.slug,
            "pick_tools": campaign.slug,
            "rate_tool": campaign.slug,
        },
        "product_slug": product.slug,
        "campaign": campaign.slug,
        "name": "manifest.json",
        "token": "not-a-token",
        "uidb64": "MQ",
        "pk": "1",
    }


def _fill(route, name, samples):
    """Return the French path of a route with its arguments filled, or None for the Wagtail catch-all."""
    if name == "wagtail_serve" or route.startswith("^"):
        return None

    def value(match):
        arg = match.group(2)
        sample = samples.get(arg, "1")  # an id (Wagtail's own views): any will do
        return sample[name] if isinstance(sample, dict) else sample

    return "/" + re.sub(r"<(\w+:)?(\w+)>", value, route)


# Wagtail's fallback sign-in for restricted pages: unused, since WAGTAIL_FRONTEND_LOGIN_URL sends readers to
# the site's own sign-in (checked below); its bare form is Wagtail's, outside the site's layout.
NOT_SITE_PAGES = {"wagtailcore_login"}


def _paths():
    """Return {name: (French path, English path)} of every localised pattern and every Wagtail page."""
    samples = _samples()
    paths = {}
    for route, pattern in _localised_patterns():
        if pattern.name in NOT_SITE_PAGES:
            continue
        filled = _fill(route, pattern.name, samples)
        if filled is not None:
            paths[pattern.name or route] = (filled, "/en" + filled)
    # The pages: each original at its French address, and its translation's (or its own under /en/).
    for page in localized.originals(Page.objects.live().public().specific().filter(depth__gt=1)):
        with translation.override("fr"):
            french = page.url
        with translation.override("en"):
            english = localized.page_url(localized.translation_of(page))
        paths[f"page {page.slug}"] = (french, english)
    return paths


def _alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="https?://[^/"]+([^"]*)"', html))


def test_every_localised_pattern_answers_in_french_at_the_root_and_in_english_under_en(demo, client):
    paths = _paths()
    assert {"product_list", "product_detail", "compare", "signup", "page accueil"} <= set(paths)
    assert paths["page mentions-legales"] == ("/mentions-legales/", "/en/legal-notice/")
    problems = []
    for name, (french, english) in paths.items():
        fr, en = client.get(french), client.get(english)
        if fr.status_code != en.status_code:
            problems.append((name, fr.status_code, en.status_code))
            continue
        if fr.status_code in (301, 302):
            if not en["Location"].startswith("/en/"):
                problems.append((name, "English redirect leaves /en/", en["Location"]))
            continue
        if fr.status_code != 200 or not fr["Content-Type"].startswith("text/html"):
            continue
        for response, code, own in ((fr, "fr", french), (en, "en", english)):
            html = response.content.decode()
            if f'<html lang="{code}"' not in html:
                problems.append((name, code, "lang"))
            alternates = _alternates(html)
            if alternates.get("fr") != french or alternates.get("en") != english:
                problems.append((name, code, "hreflang", alternates))
            if alternates.get("x-default") != french:
                problems.append((name, code, "x-default", alternates))
            other, other_url = ("en", english) if code == "fr" else ("fr", french)
            if f'href="{other_url}" hreflang="{other}"' not in html:
                problems.append((name, code, "switcher", own))
    assert problems == [], "\n".join(map(str, problems))


def test_english_pages_link_to_english_pages(demo, client):
    html = client.get("/en/outils/").content.decode()
    # Every link but the switcher's to the French page.
    links = set(re.findall(r'href="(/[^"]*)"(?! hreflang="fr")', html))
    french_only = {
        link
        for link in links
        if not link.startswith(("/en/", "/static/", "/media/", "/sitemap", "/api/", "/flux/", "/i18n/"))
    }
    assert french_only == set()
    product = Product.objects.listed().order_by("slug").first()
    assert f'href="/en/outils/{product.slug}/"' in client.get("/en/outils/?sort=name").content.decode()


def test_a_signed_out_reader_asked_to_sign_in_in_english_stays_in_english(demo, client):
    response = client.get("/en/mes-evaluations/")
    assert response.status_code == 302 and response["Location"].startswith("/en/compte/connexion/")


def test_a_page_restricted_to_signed_in_readers_sends_them_to_the_sites_sign_in(demo, client):
    from wagtail.models import PageViewRestriction

    original = localized.originals(Page.objects.live().filter(depth__gt=2)).order_by("path").first()
    with translation.override("en"):
        page = localized.translation_of(original)  # the English page, or the original where none
        english = localized.page_url(page)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(english)
    assert english.startswith("/en/") and response.status_code == 302, (english, response.status_code)
    assert response["Location"].startswith("/en/compte/connexion/?next=")


def test_the_sitemap_lists_every_page_in_both_languages_with_its_alternate(demo, client):
    xml = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>https?://[^/<]+([^<]*)</loc>", xml)
    french = [loc for loc in locations if not loc.startswith("/en/")]
    english = [loc for loc in locations if loc.startswith("/en/")]
    assert len(french) == len(english) and "/en/legal-notice/" in english and "/mentions-legales/" in french
    entries = re.findall(r"<url>(.*?)</url>", xml, flags=re.S)
    product = Product.objects.listed().order_by("slug").first()
    for path, english_path in (
        (f"/outils/{product.slug}/", f"/en/outils/{product.slug}/"),
        ("/methode/", "/en/methode/"),
        ("/mentions-legales/", "/en/legal-notice/"),
    ):
        (entry,) = [e for e in entries if re.search(rf"<loc>https?://[^/<]+{re.escape(path)}</loc>", e)]
        alternates = dict(re.findall(r'hreflang="([\w-]+)" href="https?://[^/"]+([^"]*)"', entry))
        assert alternates == {"fr": path, "en": english_path, "x-default": path}, entry


def test_robots_keep_crawlers_out_of_the_accounts_in_both_languages(client):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /compte/" in robots and "Disallow: /en/compte/" in robots
