"""The numbers explain themselves: n eff, the status badges and the recommendation link to a glossary
on the methodology page; the home and product pages say in one sentence what the interval means."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "glossary-admin-password")
    call_command("seed_demo", stdout=io.StringIO())


def test_every_explanation_link_lands_on_a_glossary_entry(client, demo):
    from ratings.models import Product

    methodology = client.get(reverse("cms:methodology_redirect"), follow=True)
    glossary = BeautifulSoup(methodology.content, "html.parser")
    ids = {dt["id"] for dt in glossary.select("dl dt[id]")}
    assert {"glossary-interval", "glossary-n-eff", "glossary-status", "glossary-recommend"} <= ids
    product = Product.objects.listed().order_by("slug").first()
    for url in ("/", product.get_absolute_url(), reverse("cms:product_list")):
        page = BeautifulSoup(client.get(url).content, "html.parser")
        anchors = {a["href"].split("#")[1] for a in page.select("a[href*='#glossary-']")}
        assert anchors and anchors <= ids, url
        assert "glossary-n-eff" in anchors and "glossary-status" in anchors, url
    for url in ("/", product.get_absolute_url()):
        note = BeautifulSoup(client.get(url).content, "html.parser").select_one(".interval-note")
        assert note is not None and ("95" in note.get_text()), url
