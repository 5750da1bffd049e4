"""The read API's figures are the stored ones, named as the export names them, small groups hidden."""

import dataclasses
import io

import pytest
from django.core.management import call_command

from analytics import published
from analytics.core.columns import CATALOGUE_COLUMNS, PRODUCT_COLUMNS, SUFFICIENT_COLUMNS, VENDOR_COLUMNS
from analytics.export import COLUMNS
from analytics.models import ProductScore, VendorScore
from ratings.models import FACET_SLUGS
from tests.analytics import builders

# Figures for analysts only (sensitivity to flagged responses, §7): never read by public pages.
ANALYST_ONLY = {"score_without_flagged", "escalate"}


def names(cls, *, without=()):
    return {f.name for f in dataclasses.fields(cls)} - set(without)


def test_product_figures_carry_every_stored_public_column_under_its_stored_name():
    model = {f.name for f in ProductScore._meta.concrete_fields}
    figures = names(published.ProductFigures, without={"product", "product_id", "weighting_simplified"})
    assert figures <= model
    # The sufficient statistics are read by the open data (analytics.open_data), not by the pages.
    assert figures == set(PRODUCT_COLUMNS) - set(CATALOGUE_COLUMNS) - ANALYST_ONLY - set(SUFFICIENT_COLUMNS)


def test_vendor_figures_carry_every_stored_vendor_column():
    model = {f.name for f in VendorScore._meta.concrete_fields}
    figures = names(published.VendorFigures, without={"vendor_id"})
    assert figures <= model and figures == set(VENDOR_COLUMNS)


def test_every_export_column_of_a_product_comes_from_the_read_api():
    head = [c for c in COLUMNS if not c.startswith(tuple(FACET_SLUGS))]
    assert set(head) - {"product", "vendor", "category"} <= names(published.ProductFigures)


@pytest.mark.django_db
def test_an_insufficient_product_shows_no_figure_describing_its_few_respondents():
    tiny, crowd = builders.catalogue(2)
    camp = builders.campaign()
    builders.answer(builders.doctors(3), tiny, camp, dict.fromkeys(FACET_SLUGS, 5), recommend=10)
    builders.answer(builders.doctors(30), crowd, camp, dict.fromkeys(FACET_SLUGS, 4), recommend=9)
    call_command("recompute_scores", stdout=io.StringIO())
    snapshot = published.current_snapshot()
    score = published.product_score(snapshot, tiny)
    assert score.is_insufficient and not score.is_shown and score.n_respondents == 3
    hidden = (
        "n_effective",
        "design_effect",
        "doctor_score",
        "doctor_ci_low",
        "doctor_ci_high",
        "global_score",
    )
    assert all(getattr(score, name) is None for name in hidden + ("recommend_pct",))
    assert all(
        not cell.is_shown and cell.variance is None
        for cell in published.facet_scores(snapshot, [tiny.pk])[tiny.pk]
    )
    assert published.distributions(snapshot, tiny) == {}
    shown = published.product_score(snapshot, crowd)
    assert (
        shown.is_shown
        and shown.doctor_score == pytest.approx(4.0)
        and shown.recommend_pct == pytest.approx(100)
    )


@pytest.mark.django_db
def test_category_benchmarks_are_the_quartiles_of_the_ranked_products_facet_scores():
    import statistics

    products = builders.catalogue(6)
    camp = builders.campaign()
    for i, product in enumerate(products[:5]):
        answers = [dict.fromkeys(FACET_SLUGS, 3 + (j + i) % 3) for j in range(25)]
        builders.answer(builders.doctors(25), product, camp, answers)
    # A limited product (8 doctors) is not part of the category's benchmark.
    builders.answer(builders.doctors(8), products[5], camp, dict.fromkeys(FACET_SLUGS, 1))
    call_command("recompute_scores", stdout=io.StringIO())
    snapshot = published.current_snapshot()
    benchmarks = published.category_benchmarks(snapshot, products[0].category)
    assert set(benchmarks) == set(FACET_SLUGS)
    facets = published.facet_scores(snapshot, [p.pk for p in products[:5]])
    scores = [next(c.score for c in facets[p.pk] if c.facet == "support") for p in products[:5]]
    q1, median, q3 = statistics.quantiles(scores, n=4, method="inclusive")
    support = benchmarks["support"]
    assert support.n_products == 5
    assert (support.q1, support.median, support.q3) == pytest.approx((q1, median, q3))


@pytest.mark.django_db
def test_a_category_with_fewer_than_three_ranked_products_has_no_benchmark():
    products = builders.catalogue(2)
    camp = builders.campaign()
    for product in products:
        builders.answer(builders.doctors(25), product, camp, dict.fromkeys(FACET_SLUGS, 4))
    call_command("recompute_scores", stdout=io.StringIO())
    assert published.category_benchmarks(published.current_snapshot(), products[0].category) == {}
