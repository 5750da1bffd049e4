"""Switching flows (METHODOLOGY §10): the recompute counts the doctors who came to each tool from another,
stores only pairs of 5 doctors or more, and the product page shows where its users came from."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from analytics.core.situation import switching_flows
from analytics.models import ScoreSnapshot, SwitchFlow
from ratings.models import FACET_SLUGS
from surveys.models import Response
from tests.analytics import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def moves():
    camp = builders.campaign()
    target, left, rare = builders.catalogue(3)
    responses = builders.answer(builders.doctors(20), target, camp, dict.fromkeys(FACET_SLUGS, 4))
    ids = [r.pk for r in responses]
    Response.objects.filter(pk__in=ids[:6]).update(previous_product=left)
    Response.objects.filter(pk__in=ids[6:10]).update(previous_product=rare)  # 4: never shown
    Response.objects.filter(pk__in=ids[10:15]).update(previous_product_other="Ancien logiciel")
    builders.answer(builders.doctors(6), left, camp, dict.fromkeys(FACET_SLUGS, 3))
    call_command("recompute_scores", stdout=io.StringIO())
    return target, left, rare


def test_only_flows_of_five_doctors_or_more_are_stored(moves):
    target, left, rare = moves
    stored = {
        (f.previous_product_id, f.product_id, f.doctors)
        for f in SwitchFlow.objects.filter(snapshot=ScoreSnapshot.objects.current())
    }
    assert stored == {(left.pk, target.pk, 6), (None, target.pk, 5)}
    # The same counts as a plain tally of the database, pairs under 5 dropped.
    pairs = Response.objects.exclude(previous_product=None).values_list("previous_product_id", "product_id")
    reference = switching_flows([p for p, _ in pairs], [c for _, c in pairs])
    assert list(reference.itertuples(index=False, name=None)) == [(left.pk, target.pk, 6)]


def test_the_product_page_says_where_its_users_came_from_and_nothing_under_five(client, moves):
    target, left, rare = moves
    html = client.get(reverse("cms:product_detail", args=[target.slug])).content.decode()
    section = html[html.index('id="flows-heading"') : html.index('id="facet-scores-heading"')]
    assert left.name in section and "6" in section
    assert rare.name not in section
    empty = client.get(reverse("cms:product_detail", args=[left.slug])).content.decode()
    section = empty[empty.index('id="flows-heading"') : empty.index('id="facet-scores-heading"')]
    assert "<li>" not in section and target.name not in section
