"""Charts carry no mode bar: no focusable buttons inside hidden content, no "share" to an outside host."""

import io

import pytest
from django.core.management import call_command

from ratings.models import FACET_SLUGS
from tests.analytics import builders

pytestmark = pytest.mark.django_db


def test_the_product_pages_chart_has_no_mode_bar(client):
    product = builders.catalogue(1, vendor="agendoc", category="agenda")[0]
    builders.answer(builders.doctors(30), product, builders.campaign(), dict.fromkeys(FACET_SLUGS, 4))
    call_command("recompute_scores", stdout=io.StringIO())
    page = client.get(product.get_absolute_url()).content.decode()
    assert "js-chart" in page and "charts.js" in page
    assert '"displayModeBar": false' in page
    assert "modeBarButtonsToRemove" not in page and "sendDataToCloud" not in page


def test_the_product_pages_charts_are_drawn_once_per_snapshot(client, monkeypatch):
    from django.core.cache import cache

    from analytics import charts

    cache.clear()
    product = builders.catalogue(1, vendor="agendoc", category="agenda")[0]
    camp = builders.campaign()
    builders.answer(builders.doctors(30), product, camp, dict.fromkeys(FACET_SLUGS, 4))
    call_command("recompute_scores", stdout=io.StringIO())
    drawn = []
    real = charts.product_charts

    def counting(*args):
        drawn.append(args)
        return real(*args)

    monkeypatch.setattr(charts, "product_charts", counting)
    first = client.get(product.get_absolute_url()).content.decode()
    second = client.get(product.get_absolute_url()).content.decode()
    assert len(drawn) == 1 and "js-chart" in second
    assert first.count("js-chart") == second.count("js-chart")
    builders.answer(builders.doctors(10), product, camp, dict.fromkeys(FACET_SLUGS, 2))
    call_command("recompute_scores", stdout=io.StringIO())
    client.get(product.get_absolute_url())
    assert len(drawn) == 2
