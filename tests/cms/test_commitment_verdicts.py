"""Vendors' commitments measured (METHODOLOGY §10): on the product page and in the vendor report.

The campaigns: spring (closed 30 April), then the commitment written and published on 20 May and
due on 30 September, then autumn (closing 30 November). "Before" is spring, "after" autumn once closed.
"""

import datetime
import io
import math

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from scipy.stats import norm

from analytics.models import FacetScore, ScoreSnapshot
from cms.reports import build_vendor_report, render_report_html, report_tables, write_csv
from ratings.models import FACET_SLUGS, Facet, VendorMembership
from ratings.services import publish_vendor_reply, submit_vendor_reply
from tests.analytics import builders
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRITTEN_ON = datetime.date(2026, 5, 20)
DUE_ON = datetime.date(2026, 9, 30)


def answers(support, **others):
    return {**dict.fromkeys(FACET_SLUGS, 3), "support": support, **others}


@pytest.fixture
def world():
    """Two products of one vendor: one rated by 12 then 12 doctors, one by only 4 doctors in spring."""
    product, small = builders.catalogue(2, vendor="agendoc", category="agenda")
    spring = builders.campaign()
    autumn = builders.campaign(
        slug="automne-2026",
        opens=datetime.date(2026, 10, 1),
        closes=datetime.date(2026, 11, 30),
        status="open",
    )
    builders.answer(builders.doctors(12), product, spring, [answers(2 + i % 2) for i in range(12)])
    builders.answer(builders.doctors(12), product, autumn, [answers(4 + i % 2) for i in range(12)])
    builders.answer(builders.doctors(4), small, spring, answers(2))
    builders.answer(builders.doctors(12), small, autumn, answers(5))
    call_command("recompute_scores", "--all", stdout=io.StringIO())
    member = UserFactory(groups=["vendor"])
    VendorMembership.objects.create(user=member, vendor=product.vendor)
    facets = {f.slug: f for f in Facet.objects.all()}
    for item, promises in (
        (product, [("support", "Support en deux heures.", DUE_ON), ("features", "Agenda partagé.", DUE_ON)]),
        (small, [("support", "Support pour les petits cabinets.", DUE_ON)]),
    ):
        reply = submit_vendor_reply(
            product=item,
            author=member,
            text="Notre réponse.",
            commitments=[{"facet": facets[s], "what": w, "due_on": d} for s, w, d in promises],
            today=WRITTEN_ON,
        )
        publish_vendor_reply(reply=reply, today=WRITTEN_ON)
    return {"product": product, "small": small, "spring": spring, "autumn": autumn, "member": member}


def close(campaign):
    campaign.status = "closed"
    campaign.save(update_fields=["status"])


def stored(product, campaign, facet):
    snapshot = ScoreSnapshot.objects.filter(campaign=campaign).latest("computed_at")
    return FacetScore.objects.get(snapshot=snapshot, product=product, facet=facet)


def reference_change(product, before, after, facet="support"):
    """The §6 change by hand from the stored facet scores: difference and normal 95% interval."""
    a, b = stored(product, before, facet), stored(product, after, facet)
    difference = b.score - a.score
    half = norm.ppf(0.975) * math.sqrt(a.variance + b.variance)
    return difference, difference - half, difference + half


def commitments_on_page(client, product):
    soup = BeautifulSoup(
        client.get(reverse("cms:product_detail", args=[product.slug])).content, "html.parser"
    )
    return soup.select("ul.commitments li")


def fr(value):
    return f"{value:+.2f}".replace(".", ",")


def test_before_the_next_campaign_closes_the_commitment_is_not_yet_measurable(client, world):
    items = commitments_on_page(client, world["product"])
    assert [i.find("strong").get_text() for i in items] == ["Assistance", "Fonctionnalités"]
    first = items[0].get_text(" ", strip=True)
    assert "Support en deux heures." in first and "30 septembre 2026" in first
    assert "pas encore mesurable" in first and "Évolution" not in first


def test_once_the_campaign_closes_the_change_and_the_verdict_are_shown(client, world):
    close(world["autumn"])
    difference, low, high = reference_change(world["product"], world["spring"], world["autumn"])
    assert low > 0  # the builders' answers moved support from about 2.5 to about 4.5
    support = commitments_on_page(client, world["product"])[0].get_text(" ", strip=True)
    assert "tenu" in support and "non tenu" not in support
    assert f"Évolution sur cette facette : {fr(difference)}" in support
    assert f"de {fr(low)} à {fr(high)}" in support
    assert "automne-2026" in support and "printemps-2026" in support
    # Features did not move (3 throughout): not kept, no significant change.
    features = commitments_on_page(client, world["product"])[1].get_text(" ", strip=True)
    assert "non tenu" in features and "Pas d’évolution significative" in features


def test_a_side_with_fewer_than_five_respondents_shows_no_figure(client, world):
    close(world["autumn"])
    assert stored(world["small"], world["spring"], "support").n == 4
    item = commitments_on_page(client, world["small"])[0].get_text(" ", strip=True)
    assert "pas assez de réponses" in item
    assert "Évolution sur cette facette" not in item and "intervalle" not in item.split("Trop peu")[0]


def test_a_significant_fall_is_worded_apart(client, world):
    # Autumn answers at 1 on support: the score falls, significantly.
    product = builders.catalogue(1, vendor="agendoc", category="agenda2")[0]
    builders.answer(builders.doctors(12), product, world["spring"], answers(4))
    builders.answer(builders.doctors(12), product, world["autumn"], answers(1))
    call_command("recompute_scores", "--all", stdout=io.StringIO())
    reply = submit_vendor_reply(
        product=product,
        author=world["member"],
        text="Réponse.",
        commitments=[{"facet": Facet.objects.get(slug="support"), "what": "Mieux.", "due_on": DUE_ON}],
        today=WRITTEN_ON,
    )
    publish_vendor_reply(reply=reply, today=WRITTEN_ON)
    close(world["autumn"])
    item = commitments_on_page(client, product)[0].get_text(" ", strip=True)
    assert "non tenu : la note a baissé" in item and "significativement plus bas" in item


def test_the_product_page_reads_commitments_in_a_fixed_number_of_queries(client, world):
    close(world["autumn"])
    url = reverse("cms:product_detail", args=[world["product"].slug])
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    reply = world["product"].replies.published().get()
    reply.commitments.create(
        facet=Facet.objects.get(slug="reliability"), what="Moins de pannes.", due_on=DUE_ON
    )
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        body = client.get(url).content.decode()
    assert "Moins de pannes." in body
    assert len(three.captured_queries) == len(two.captured_queries)


def test_the_vendor_report_lists_the_commitments_with_the_same_verdicts(world):
    close(world["autumn"])
    report = build_vendor_report(world["product"].vendor, world["autumn"])
    lines = {(c.product, c.facet): c for c in report.commitments}
    support = lines[world["product"].slug, "support"]
    difference, low, high = reference_change(world["product"], world["spring"], world["autumn"])
    assert support.verdict == "kept" and support.difference == pytest.approx(difference)
    assert (support.difference_low, support.difference_high) == (pytest.approx(low), pytest.approx(high))
    assert (support.before_campaign, support.after_campaign) == ("printemps-2026", "automne-2026")
    assert lines[world["product"].slug, "features"].verdict == "not_kept"
    small = lines[world["small"].slug, "support"]
    assert small.verdict == "not_enough_answers" and small.difference is None
    table = next(t for t in report_tables(report) if t.name == "commitments")
    rows = write_csv(table).decode().splitlines()
    assert rows[0].startswith("product,facet,facet_name,what,committed_on,due_on")
    assert len(rows) == 4 and f",{difference:.6f}," in "\n".join(rows)
    html = render_report_html(report)
    assert "Support en deux heures." in html and "Support pour les petits cabinets." in html


def test_a_report_of_an_earlier_campaign_measures_what_could_be_measured_then(world):
    close(world["autumn"])
    report = build_vendor_report(world["product"].vendor, world["spring"])
    assert {c.verdict for c in report.commitments} == {"not_yet_measurable"}
    assert all(c.difference is None for c in report.commitments)


def test_a_report_without_published_commitments_says_so(world):
    from ratings.models import VendorReply

    VendorReply.objects.update(status=VendorReply.Status.PENDING)
    report = build_vendor_report(world["product"].vendor, world["spring"])
    assert report.commitments == []
    assert "Aucun engagement publié." in render_report_html(report)
