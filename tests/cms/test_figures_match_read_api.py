"""Pages, the export and the read API show one number once: what a page prints is what the read API returns.

The figures printed on the product, vendor and ranking pages are read back from the HTML and
compared with `analytics.published`; the page query counts are pinned at their level before the
read API existed (measured on the demo site), and do not grow with the catalogue.
"""

import io
import random

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format

from analytics import published
from analytics.export import export_rows
from ratings.models import FACET_SLUGS, Facet, Product, Vendor
from tests.analytics import builders

pytestmark = pytest.mark.django_db


def fmt(value):
    with translation.override("fr"):
        return number_format(value, decimal_pos=2)


def text(node):
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def scored():
    products = builders.catalogue(9, category="agenda", vendor="agendoc")
    camp = builders.campaign()
    rng = random.Random(7)
    for i, product in enumerate(products):
        # 40 to 4 doctors: ranked, limited and insufficient products, with varied answers.
        n = max(4, 40 - 5 * i)
        answers = [{f: rng.choice([2, 3, 4, 4, 5, None]) for f in FACET_SLUGS} for _ in range(n)]
        for row in answers:
            row["ease_of_use"] = row["ease_of_use"] or 3
        builders.answer(builders.doctors(n), product, camp, answers, recommend=[rng.randint(0, 10)] * n)
    call_command("recompute_scores", stdout=io.StringIO())
    return products


def test_the_product_page_prints_the_read_api_figures(client, scored):
    snapshot = published.current_snapshot()
    names = {f.slug: f.name for f in Facet.objects.all()}
    checked_facets = 0
    for product in scored:
        score = published.product_score(snapshot, product)
        html = BeautifulSoup(client.get(product.get_absolute_url()).content, "html.parser")
        summary = text(html.find(id="score-heading").parent)
        if score.is_shown:
            assert fmt(score.display_score) in summary
            assert f"{fmt(score.display_ci_low)}–{fmt(score.display_ci_high)}" in summary
            assert f"{score.n_respondents} médecins" in summary
        else:
            no_score = html.find(id="score-heading").parent.find(class_="score")
            # The dash is for the eye; a screen reader hears the words instead.
            assert text(no_score.find(attrs={"aria-hidden": "true"})) == "—"
            assert text(no_score.find(class_="visually-hidden")) == "pas de note"
        table = html.find(id="facet-scores")
        if score.is_insufficient:
            assert table is None
            continue
        rows = {text(tr.th): [text(td) for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")}
        for cell in published.facet_scores(snapshot, [product.pk])[product.pk]:
            shown = rows[names[cell.facet]]
            assert shown[-1] == str(cell.n)
            if cell.is_shown:
                assert shown[:2] == [fmt(cell.score), f"{fmt(cell.ci_low)}–{fmt(cell.ci_high)}"]
                checked_facets += 1
            else:
                assert shown[:2] == ["—", "—"]
    assert checked_facets > 20


def test_the_rankings_page_prints_the_read_api_rankings(client, scored):
    snapshot = published.current_snapshot()
    (section,) = published.rankings(snapshot, Product.objects.listed().select_related("vendor", "category"))
    assert len(section.ranked) >= 3 and section.limited
    html = BeautifulSoup(client.get(reverse("cms:rankings")).content, "html.parser")
    printed = [[text(td) for td in tr.find_all(["th", "td"])] for tr in html.find("tbody").find_all("tr")]
    expected = [
        [
            str(row.rank),
            f"{row.product.name} ({row.product.vendor})",
            fmt(row.display_score),
            f"{fmt(row.display_ci_low)}–{fmt(row.display_ci_high)}",
            f"{row.rank_low:.0f}–{row.rank_high:.0f}",
            str(row.n_respondents),
        ]
        for row in section.ranked
    ]
    assert [[cell.split(" ")[0] if i == 0 else cell for i, cell in enumerate(r)] for r in printed] == expected


def test_the_export_carries_the_read_api_figures(scored):
    snapshot = published.current_snapshot()
    scores = published.product_scores(snapshot)
    facets = published.facet_scores(snapshot, [p.pk for p in scored])
    for row in export_rows(snapshot):
        product = Product.objects.get(slug=row["product"])
        score = scores[product.pk]
        for column in ("n_respondents", "n_effective", "doctor_score", "doctor_ci_low", "global_score"):
            assert row[column] == getattr(score, column), column
        for cell in facets[product.pk]:
            expected = None if score.is_insufficient else cell.score
            assert row[f"{cell.facet}_score"] == expected and row[f"{cell.facet}_n"] == cell.n


def test_the_vendor_page_prints_the_vendor_score(client, scored):
    snapshot = published.current_snapshot()
    vendor = scored[0].vendor
    score = published.vendor_score(snapshot, vendor)
    html = BeautifulSoup(client.get(reverse("cms:vendor_detail", args=[vendor.slug])).content, "html.parser")
    summary = text(html.find(id="vendor-score").parent)
    assert fmt(score.doctor_score) in summary and f"{score.n_respondents} médecins" in summary


# Queries per page on the demo site before the read API (commit 294e40e, measured the same way).
QUERIES_BEFORE = {
    "home": 18,
    "list": 12,  # the page of results needs its count (pagination)
    "product": 20,  # facet scores are read as tuples
    "vendor": 11,
    "rankings": 10,
    "compare": 14,
    "vendor_space": 22,
}


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types, site root)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def test_page_query_counts_do_not_grow(client, monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "count-admin-password")
    call_command("seed_demo", stdout=io.StringIO())
    product = Product.objects.listed().order_by("slug").first()
    vendor = Vendor.objects.order_by("slug").first()
    two = list(Product.objects.listed().order_by("slug").values_list("slug", flat=True)[:2])
    urls = {
        "home": "/",
        "list": reverse("cms:product_list"),
        "product": product.get_absolute_url(),
        "vendor": reverse("cms:vendor_detail", args=[vendor.slug]),
        "rankings": reverse("cms:rankings"),
        "compare": f"{reverse('cms:compare')}?p={two[0]}&p={two[1]}",
    }
    counts = {name: count_queries(client, url) for name, url in urls.items()}
    client.force_login(get_user_model().objects.get(email="editeur@demo.invalid"))
    counts["vendor_space"] = count_queries(client, reverse("cms:vendor_reports"))
    assert {name: counts[name] <= QUERIES_BEFORE[name] for name in counts} == dict.fromkeys(counts, True), (
        counts
    )


def test_list_and_ranking_queries_do_not_grow_with_the_catalogue(client):
    camp = builders.campaign()

    def add_products(n, offset):
        products = builders.catalogue(n, category=f"cat{offset}", vendor=f"vendor{offset}")
        for product in products:
            builders.answer(builders.doctors(25), product, camp, dict.fromkeys(FACET_SLUGS, 4))
        call_command("recompute_scores", stdout=io.StringIO())

    add_products(3, 1)
    small = {
        url: count_queries(client, url) for url in (reverse("cms:product_list"), reverse("cms:rankings"))
    }
    add_products(12, 2)
    large = {
        url: count_queries(client, url) for url in (reverse("cms:product_list"), reverse("cms:rankings"))
    }
    assert large == small
