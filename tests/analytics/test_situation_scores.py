"""METHODOLOGY §10 end to end: the recompute stores what doctors pay and their contracts; below 10 answers
nothing is stored, exported or served (issue 15). The figures come from the pure core, checked against
independent references in test_core_situation.py; here the weights are equal (one campaign, one stratum),
so the references are the plain median and the plain Wilson interval."""

import csv
import io
from decimal import Decimal

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse
from statsmodels.stats.proportion import proportion_confint

from analytics import open_data, published
from analytics.export import export_rows
from analytics.models import ProductScore, ScoreSnapshot
from ratings.models import FACET_SLUGS
from surveys.models import Response
from tests.analytics import builders

pytestmark = pytest.mark.django_db


def _rated(product, camp, n, *, prices=None, increased=None, months=None, switching=None):
    responses = builders.answer(builders.doctors(n), product, camp, dict.fromkeys(FACET_SLUGS, 4))
    for i, response in enumerate(responses):
        Response.objects.filter(pk=response.pk).update(
            price_paid=None if prices is None or prices[i] is None else Decimal(str(prices[i])),
            price_increased=None if increased is None else increased[i],
            commitment_months=None if months is None else months[i],
            considering_switch=None if switching is None else switching[i],
        )


@pytest.fixture
def rated():
    camp = builders.campaign()
    ten, nine, four = builders.catalogue(3)
    prices = [29.9, 45, 49.9, 49.9, 60, 75, 80, 99, 120, 150, 149]
    _rated(ten, camp, 30, prices=prices + [None] * 19, increased=[True] * 4 + [False] * 8 + [None] * 18,
           months=[0, 12, 24, 36, 48, 12, 12, 0, 0, 24] + [None] * 20, switching=[True] * 3 + [False] * 7 + [None] * 20)  # fmt: skip
    _rated(nine, camp, 30, prices=[50] * 9 + [None] * 21, increased=[True] * 9 + [None] * 21,
           months=[36] * 9 + [None] * 21, switching=[True] * 9 + [None] * 21)  # fmt: skip
    _rated(four, camp, 30, prices=[80] * 4 + [None] * 26, switching=[False] * 4 + [None] * 26)
    call_command("recompute_scores", stdout=io.StringIO())
    snapshot = ScoreSnapshot.objects.current()
    return {p: ProductScore.objects.get(snapshot=snapshot, product=p) for p in (ten, nine, four)}, prices


def test_prices_and_shares_are_stored_with_their_intervals(rated):
    scores, prices = rated
    shown = next(s for s in scores.values() if s.price_n)
    assert shown.price_n == 11
    assert shown.price_median == pytest.approx(np.median(prices))
    assert shown.price_q1 == pytest.approx(np.quantile(prices, 0.25, method="averaged_inverted_cdf"))
    assert shown.price_q3 == pytest.approx(np.quantile(prices, 0.75, method="averaged_inverted_cdf"))
    low, high = proportion_confint(4, 12, alpha=0.05, method="wilson")
    assert (shown.price_increased_pct, shown.price_increased_ci_low, shown.price_increased_ci_high) == (
        pytest.approx(100 * 4 / 12), pytest.approx(100 * low), pytest.approx(100 * high),
    )  # fmt: skip
    assert shown.long_commitment_pct == pytest.approx(40.0)  # 24, 36, 48 and 24 months of 10: over 12
    assert shown.switch_pct == pytest.approx(30.0)


def test_groups_of_nine_and_four_answers_show_nothing_anywhere(rated, client):
    scores, _prices = rated
    hidden = [s for s in scores.values() if not s.price_n]
    assert len(hidden) == 2
    figures = ("price_q1", "price_median", "price_q3", "price_n", "price_increased_pct", "price_increased_ci_low",
               "long_commitment_pct", "switch_pct", "switch_ci_low", "switch_ci_high")  # fmt: skip
    for score in hidden:
        assert all(getattr(score, name) is None for name in figures), score.product.slug
    rows = {row["product"]: row for row in export_rows(published.current_snapshot())}
    for score in hidden:
        row = rows[score.product.slug]
        assert all(row[name] is None for name in ("price_median", "price_q1", "price_q3", "price_n",
                                                  "price_increased_pct", "switch_pct"))  # fmt: skip
        api = client.get(reverse("api:product-detail", args=[score.product.slug])).json()
        assert api["price_median"] is None and api["price_n"] is None and api["switch_pct"] is None
        page = client.get(score.product.get_absolute_url()).content.decode()
        assert "50,00 €" not in page and "80,00 €" not in page
    # The open data's scores.csv leaves the same cells empty.
    files = open_data.build_campaign(published.current_snapshot())
    table = {row["product"]: row for row in csv.DictReader(io.StringIO(files["scores.csv"].decode()))}
    for score in hidden:
        assert all(
            table[score.product.slug][name] == "" for name in ("price_median", "price_n", "switch_pct")
        )
    shown = next(s for s in scores.values() if s.price_n)
    assert table[shown.product.slug]["price_n"] == "11"


def test_the_product_page_shows_the_median_price_and_the_shares(rated, client):
    scores, prices = rated
    shown = next(s for s in scores.values() if s.price_n)
    page = client.get(shown.product.get_absolute_url()).content.decode()
    assert "Ce que paient les confrères" in page
    assert "75,00 €" in page  # the median of the 11 prices
    assert "11 réponses" in page
