"""The readers' main pages stay within 12 queries each (issue 11), on the demo site, once the caches are warm.

The bench (bench/pages.py) measures the same pages on a 500-product, 1,000,000-response database; these
counts do not depend on the catalogue's size (tests/cms/test_figures_match_read_api.py checks that the
list and the rankings do not grow with it). The snapshot's figures come from each process's memory
(analytics/published/cache.py), so a second request reads only what may have changed since: the
product's listing, its comments, the expert reviews, the vendor's reply.
"""

import gzip
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics import published
from ratings.models import FACET_SLUGS, Category, Product
from tests.analytics import builders

pytestmark = pytest.mark.django_db

BUDGET = 12


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "budget-admin-password")
    call_command("seed_demo", stdout=io.StringIO())


def _queries(client, url):
    assert client.get(url).status_code == 200, url  # warm: the snapshot's figures, renditions, site root
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries]


def _pages():
    snapshot = published.current_snapshot()
    products = list(published.with_scores(Product.objects.listed().order_by("slug"), snapshot))
    ranked = next(p for p in products if p.score_status == "ok")
    category = Category.objects.get(pk=ranked.category_id)
    three = list(category.products.listed().order_by("slug").values_list("slug", flat=True)[:3])
    return {
        "home": "/",
        "catalogue": reverse("cms:product_list"),
        "catalogue, sorted, page 2": reverse("cms:product_list") + "?sort=name&page=2",
        "product": ranked.get_absolute_url(),
        "comparison of three tools": reverse("cms:compare") + "?" + "&".join(f"p={s}" for s in three),
        "rankings": reverse("cms:rankings"),
        "category ranking": reverse("cms:category_ranking", args=[category.slug]),
    }


def test_every_main_page_stays_within_its_query_budget(demo, client):
    counts = {name: len(_queries(client, url)) for name, url in _pages().items()}
    assert {name: n for name, n in counts.items() if n > BUDGET} == {}, counts


def test_a_recompute_changes_what_the_product_page_shows_at_once(demo, client):
    # The figures are cached per snapshot version: a recompute's figures show without waiting.
    url = _pages()["product"]
    snapshot = published.current_snapshot()
    product = Product.objects.get(slug=url.rstrip("/").rsplit("/", 1)[1])
    before = published.product_score(snapshot, product).n_respondents
    assert f"{before} médecins" in client.get(url).content.decode()
    builders.answer(builders.doctors(7), product, snapshot.campaign, dict.fromkeys(FACET_SLUGS, 5))
    call_command("recompute_scores", stdout=io.StringIO())
    after = published.product_score(published.current_snapshot(), product).n_respondents
    assert after == before + 7
    assert f"{after} médecins" in client.get(url).content.decode()


def test_a_product_that_leaves_the_catalogue_leaves_the_comparison_at_once(demo, client):
    url = _pages()["comparison of three tools"]
    slug = url.split("p=")[1].split("&")[0]
    product = Product.objects.get(slug=slug)
    assert product.name.encode() in client.get(url).content
    Product.objects.filter(pk=product.pk).update(is_listed=False)
    page = client.get(url).content.decode()
    assert f'value="{slug}"' not in page and f">{product.name}</a></th>" not in page


def test_pages_are_sent_gzipped_to_a_browser_that_accepts_it(demo, client):
    response = client.get(reverse("cms:product_list"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).decode().count('class="card"') >= 2


def test_a_new_vendor_shows_in_the_empty_filters_and_a_rename_in_the_rankings(demo, client):
    from ratings.models import Vendor

    list_url, rankings_url = reverse("cms:product_list"), reverse("cms:rankings")
    client.get(list_url), client.get(rankings_url)  # both rendered once and cached
    Vendor.objects.create(name="Zéphyr Logiciels", slug="zephyr")
    assert "Zéphyr Logiciels" in client.get(list_url).content.decode()
    ranked = next(s for section in published.rankings(published.current_snapshot(), Product.objects.listed())
                  for s in section.ranked)  # fmt: skip
    product = Product.objects.get(pk=ranked.product_id)
    product.name = "Nom tout neuf"
    product.save()
    assert "Nom tout neuf" in client.get(rankings_url).content.decode()


def test_a_filled_filter_form_is_never_served_from_the_cache(demo, client):
    first = client.get(reverse("cms:product_list"), {"q": "agenda"}).content.decode()
    second = client.get(reverse("cms:product_list"), {"q": "visio"}).content.decode()
    assert 'value="agenda"' in first and 'value="visio"' in second and 'value="agenda"' not in second
