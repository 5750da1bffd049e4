from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from ratings.models import (
    FACET_SLUGS,
    Category,
    Facet,
    FacetWeight,
    Methodology,
    PopulationStratum,
    Product,
    Vendor,
)
from ratings.services import (
    create_methodology_version,
    create_product,
    get_or_create_category,
    get_or_create_vendor,
    lock_methodology,
    record_expert_assessment,
    withdraw_expert_assessment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor():
    return get_or_create_vendor(
        slug="medilogix", name="Medilogix", email_domains="medilogix.example, mlx.example"
    )


@pytest.fixture
def category():
    return get_or_create_category(slug="teleconsultation", name="Téléconsultation")


def test_the_statistics_core_reads_the_same_facet_columns():
    from analytics.core.constants import FACETS

    assert FACETS == FACET_SLUGS


def test_fresh_database_has_the_eight_facets_and_methodology_v1():
    assert list(Facet.objects.values_list("slug", flat=True)) == list(FACET_SLUGS)
    methodology = Methodology.objects.current()
    assert methodology.version == 1
    assert methodology.alpha == Decimal("0.300")
    assert (methodology.min_respondents, methodology.limited_respondents) == (5, 20)
    assert methodology.limited_n_effective == 15
    assert methodology.half_life_months == 12
    assert methodology.max_age_months == 24
    assert methodology.trim_factor == 5
    assert methodology.weights_for(None) == {slug: Decimal(1) for slug in FACET_SLUGS}
    strata = {(s.dimension, s.code): s.size for s in methodology.strata.all()}
    assert strata == {("practice_group", "gp"): 60_900, ("practice_group", "specialist"): 55_200}


def test_category_weights_override_the_defaults(category):
    methodology = Methodology.objects.current()
    FacetWeight.objects.create(
        methodology=methodology, category=category, facet=Facet.objects.get(slug="support"), weight=3
    )
    weights = methodology.weights_for(category)
    assert weights["support"] == 3
    assert weights["reliability"] == 1


@pytest.mark.parametrize(
    "model, kwargs",
    [
        (Category, {"name": "Doublon", "slug": "teleconsultation"}),
        (Vendor, {"name": "Doublon", "slug": "medilogix"}),
    ],
)
def test_slugs_are_unique(vendor, category, model, kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**kwargs)


def test_product_slug_unique_and_price_non_negative(vendor, category):
    create_product(name="VisioSoin", vendor=vendor, category=category)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(name="Autre", slug="visiosoin", vendor=vendor, category=category)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(
            name="Gratuit", slug="gratuit", vendor=vendor, category=category, price=Decimal("-1")
        )


def test_facet_weight_cannot_be_negative_nor_duplicated():
    methodology = Methodology.objects.current()
    facet = Facet.objects.get(slug="features")
    with pytest.raises(IntegrityError), transaction.atomic():
        FacetWeight.objects.filter(methodology=methodology, facet=facet).update(weight=Decimal("-0.5"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FacetWeight.objects.create(methodology=methodology, category=None, facet=facet, weight=2)


def test_methodology_constraints():
    methodology = Methodology.objects.current()
    with pytest.raises(IntegrityError), transaction.atomic():
        Methodology.objects.filter(pk=methodology.pk).update(alpha=Decimal("1.5"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Methodology.objects.filter(pk=methodology.pk).update(limited_respondents=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Methodology.objects.create(version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PopulationStratum.objects.create(
            methodology=methodology, dimension="region", code="11", label="IdF", size=0
        )


def test_new_version_copies_weights_and_strata_and_leaves_the_old_one_untouched():
    v1 = lock_methodology(methodology=Methodology.objects.current())
    v2 = create_methodology_version(based_on=v1, notes="Plus de poids à l'expert", alpha=Decimal("0.4"))
    v1.refresh_from_db()
    assert (v1.version, v1.alpha, v1.is_locked) == (1, Decimal("0.300"), True)
    assert (v2.version, v2.alpha, v2.is_locked) == (2, Decimal("0.4"), False)
    assert v2.facet_weights.count() == 8
    assert v2.strata.count() == 2
    assert Methodology.objects.current() == v2


def test_vendor_email_domains(vendor):
    assert vendor.email_domain_list == ["medilogix.example", "mlx.example"]
    assert list(Vendor.objects.with_email_domain("MLX.example")) == [vendor]
    assert not Vendor.objects.with_email_domain("example").exists()


def test_expert_assessment_is_recorded_and_withdrawn(vendor, category):
    product = create_product(name="VisioSoin", vendor=vendor, category=category)
    assessment = record_expert_assessment(
        product=product,
        source_page_id=42,
        title="Test",
        reviewer="Dr X",
        reviewed_on="2026-05-01",
        scores={"ease_of_use": 5, "support": 2},
    )
    assert assessment.weighted_score(Methodology.objects.current()) == pytest.approx(3.5)
    record_expert_assessment(
        product=product,
        source_page_id=42,
        title="Test",
        reviewer="Dr X",
        reviewed_on="2026-05-01",
        scores={"support": 4},
    )
    assert assessment.scores.count() == 1
    withdraw_expert_assessment(source_page_id=42)
    assert not product.expert_assessments.exists()


def test_listed_queryset(vendor, category):
    shown = create_product(name="Visible", vendor=vendor, category=category)
    create_product(name="Caché", vendor=vendor, category=category, is_listed=False)
    assert list(Product.objects.listed().in_category(category)) == [shown]
