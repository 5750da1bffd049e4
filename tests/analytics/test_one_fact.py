"""One fact, one place: the copies the pure core cannot import from Django are pinned together here."""

import pytest

from analytics import storing
from analytics.core import FACETS, Params, compute_scores
from analytics.core import columns as core_columns
from analytics.core import constants as c
from analytics.models import AnswerDistribution, CategoryRanking, FacetScore, ProductScore, VendorScore
from ratings.models import FACET_SLUGS, Methodology, PopulationStratum

from .core_frames import concat, frame

# Methodology field -> the core's default it must equal.
METHODOLOGY_DEFAULTS = {
    "alpha": c.ALPHA,
    "min_respondents": c.MIN_RESPONDENTS,
    "limited_respondents": c.LIMITED_RESPONDENTS,
    "limited_n_effective": c.LIMITED_NEFF,
    "half_life_months": c.HALF_LIFE_MONTHS,
    "max_age_months": c.MAX_AGE_MONTHS,
    "trim_factor": c.TRIM_FACTOR,
}
# Methodology field -> the Params field loading.params_for fills from it.
PARAMS_NAMES = {"limited_n_effective": "limited_neff"}


def _stored_fields(model, *, besides=()):
    """Return the names of the concrete fields a scoring run fills (not the key nor the row it hangs on)."""
    skip = {"id", "snapshot", *besides}
    return {f.attname for f in model._meta.concrete_fields if f.name not in skip}


def test_one_facet_list():
    assert tuple(FACET_SLUGS) == tuple(FACETS)


@pytest.mark.parametrize("name", sorted(METHODOLOGY_DEFAULTS))
def test_methodology_defaults_are_the_core_defaults(name):
    default = Methodology._meta.get_field(name).default
    assert float(default) == METHODOLOGY_DEFAULTS[name]
    assert getattr(Params(), PARAMS_NAMES.get(name, name)) == METHODOLOGY_DEFAULTS[name]


@pytest.mark.django_db
def test_the_first_methodology_carries_the_core_margins():
    strata = PopulationStratum.objects.filter(methodology=Methodology.objects.get(version=1))
    margins = {}
    for s in strata:
        margins.setdefault(s.dimension, {})[s.code] = float(s.size)
    assert margins == c.DEFAULT_MARGINS


def test_the_core_returns_its_declared_columns():
    data = concat(frame(1, [4] * 25), frame(2, [3, 5] * 10, category_id=2))
    result = compute_scores(data, params=Params(margins={}))
    assert tuple(result.products.columns) == core_columns.PRODUCT_COLUMNS
    assert tuple(result.vendors.columns) == core_columns.VENDOR_COLUMNS
    assert tuple(result.facets.columns) == core_columns.FACET_COLUMNS
    assert tuple(result.distributions.columns) == core_columns.DISTRIBUTION_COLUMNS
    assert tuple(result.categories.columns) == core_columns.CATEGORY_COLUMNS


def test_stored_columns_are_the_model_fields_and_the_fields_are_stored_columns():
    assert set(storing.PRODUCT_FIELDS) == _stored_fields(ProductScore, besides={"product"})
    assert set(storing.VENDOR_FIELDS) == _stored_fields(VendorScore, besides={"vendor"})
    assert set(storing.FACET_FIELDS) == _stored_fields(FacetScore)
    assert set(storing.DISTRIBUTION_FIELDS) == _stored_fields(AnswerDistribution)
    assert set(storing.CATEGORY_FIELDS) == _stored_fields(CategoryRanking, besides={"category"})


def test_only_catalogue_facts_and_derived_statuses_are_left_unstored():
    products = set(core_columns.PRODUCT_COLUMNS) - set(storing.PRODUCT_FIELDS)
    assert products == set(core_columns.CATALOGUE_COLUMNS) == {"vendor_id", "category_id"}
    assert set(core_columns.VENDOR_COLUMNS) == set(storing.VENDOR_FIELDS)
    assert set(core_columns.FACET_COLUMNS) - set(storing.FACET_FIELDS) == {"status"}
