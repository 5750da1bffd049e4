"""The demo's commitments (ratings/demo_replies.py): shown on Agendoc Pro's page, measured once autumn closes."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics import published
from ratings.models import Product, VendorCommitment
from surveys.models import Campaign

from .test_page_budgets import BUDGET

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "commitments-admin-password")
    call_command("seed_demo", stdout=io.StringIO())
    return Product.objects.get(slug="agendoc-pro")


def commitments(client, product):
    soup = BeautifulSoup(client.get(product.get_absolute_url()).content, "html.parser")
    return [li.get_text(" ", strip=True) for li in soup.select("ul.commitments li")]


def test_the_demo_reply_carries_two_published_commitments(client, demo):
    assert VendorCommitment.objects.published().filter(reply__product=demo).count() == 2
    shown = commitments(client, demo)
    assert len(shown) == 2 and all("pas encore mesurable" in text for text in shown)
    call_command("seed_demo", stdout=io.StringIO())  # a second run changes nothing
    assert VendorCommitment.objects.count() == 2


def test_closing_the_autumn_campaign_measures_the_support_commitment(client, demo):
    Campaign.objects.filter(slug="automne-2026").update(status=Campaign.Status.CLOSED)
    reply = demo.replies.published().get()
    support, interoperability = published.commitment_results(reply.commitments.select_related("facet"))
    assert (support.before_campaign.slug, support.after_campaign.slug) == ("printemps-2026", "automne-2026")
    assert support.measured and support.verdict in {"kept", "not_kept", "worsened"}
    assert interoperability.verdict == "not_yet_measurable"  # due in June 2027
    shown = commitments(client, demo)
    assert "Évolution sur cette facette" in shown[0] and "pas encore mesurable" in shown[1]


def test_the_product_page_with_commitments_stays_within_its_budget(client, demo):
    Campaign.objects.filter(slug="automne-2026").update(status=Campaign.Status.CLOSED)
    url = demo.get_absolute_url()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries.captured_queries) <= BUDGET, [q["sql"] for q in queries.captured_queries]
