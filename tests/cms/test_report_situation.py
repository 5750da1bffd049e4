"""The vendor report's §10 part: prices and contract shares, scores per subgroup of doctors with the §6
lines between subgroups, and switching both ways; nothing below its threshold in the HTML or the tables
(groups of 4 and 9 built on purpose)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from cms.reports import build_vendor_report, render_report_html, report_tables
from ratings.models import FACET_SLUGS, Vendor
from surveys.models import Doctor, Response
from tests.analytics import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    camp = builders.campaign()
    ours, theirs = builders.catalogue(2, vendor="agendoc")
    (elsewhere,) = builders.catalogue(1, vendor="rival")
    gps = builders.answer(builders.doctors(24), ours, camp, dict.fromkeys(FACET_SLUGS, 5))
    for response, price in zip(gps[:11], [40, 42, 44, 45, 46, 48, 50, 52, 55, 60, 41], strict=True):
        Response.objects.filter(pk=response.pk).update(price_paid=Decimal(price), price_increased=price > 45)
    Doctor.objects.filter(responses__in=gps[:4]).update(region="84")  # 4 doctors: no region row
    builders.answer(builders.doctors(9, specialty="cardiology"), ours, camp, dict.fromkeys(FACET_SLUGS, 2))
    # 6 doctors left `ours` for the rival's tool, 4 for `theirs` (never shown); 9 answered a price on `theirs`.
    left = builders.answer(builders.doctors(6), elsewhere, camp, dict.fromkeys(FACET_SLUGS, 4))
    Response.objects.filter(pk__in=[r.pk for r in left]).update(previous_product=ours)
    few = builders.answer(
        builders.doctors(9), theirs, camp, dict.fromkeys(FACET_SLUGS, 4), price_paid=Decimal(30)
    )
    Response.objects.filter(pk__in=[r.pk for r in few[:4]]).update(previous_product=ours)
    call_command("recompute_scores", stdout=io.StringIO())
    return build_vendor_report(Vendor.objects.get(slug="agendoc"), camp), ours, theirs, elsewhere


def test_prices_shares_subgroups_and_switching_are_in_the_report(report):
    report, ours, theirs, elsewhere = report
    entries = {entry.summary.product: entry.situation for entry in report.products}
    mine = entries[ours.slug]
    assert mine.price_n == 11 and mine.price_median == pytest.approx(46.0)
    increased = next(s for s in mine.shares if s.share == "price_increased")
    assert increased.n == 11 and increased.ci_low < increased.pct < increased.ci_high
    assert {(g.value, g.n, g.status) for g in mine.subgroups} == {
        ("gp", 24, "ok"),
        ("specialist", 9, "limited"),
    }
    assert mine.differences == [mine.differences[0]] and "le notent plus haut que" in mine.differences[0]
    assert [(f.product, f.doctors) for f in mine.flows_out] == [(elsewhere.name, 6)]
    # The 9 prices of `theirs` and its 4 doctors who came from `ours` show nowhere.
    assert entries[theirs.slug].price_median is None and entries[theirs.slug].flows_in == []


def test_nothing_below_its_threshold_reaches_the_tables_or_the_html(report):
    report, ours, theirs, elsewhere = report
    tables = {t.name: t.as_dicts() for t in report_tables(report)}
    assert all(row["n"] >= 5 for row in tables["subgroups"])
    assert "84" not in {row["value"] for row in tables["subgroups"]}
    assert [(r["direction"], r["previous"], r["current"], r["doctors"]) for r in tables["switching"]] == [
        ("out", ours.name, elsewhere.name, 6)
    ]
    prices = {row["product"]: row for row in tables["prices"]}
    assert prices[theirs.slug]["price_median"] is None and prices[theirs.slug]["price_n"] is None
    assert prices[ours.slug]["price_increased_pct"] is not None
    html = render_report_html(report)
    assert f"{elsewhere.name} (6" in html and "(4" not in html
