"""Scores for a doctor like me (METHODOLOGY §10): the subgroup rows of a snapshot, and the profiles to choose.

A profile is one level of a dimension: a practice group (general practitioners, specialists), a practice
setting (alone, group practice, maison or centre de santé) or a region. The recompute stores a subgroup's
estimate only from the methodology's minimum of respondents (§9); a profile without a row is one too
few doctors of that kind answered for.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from analytics.core.constants import PROFILE_DIMENSIONS
from analytics.core.subgroups import GLOBAL
from analytics.models import Status, SubgroupScore
from ratings.models import FACET_SLUGS
from surveys.models import Region, Response

from .figures import WithVariance

DIMENSION_LABELS = {
    "practice_group": _("Practice"),
    "practice_setting": _("Practice setting"),
    "region": _("Region"),
}
_PRACTICE_GROUPS = {"gp": _("general practitioners"), "specialist": _("specialists")}


@dataclass(frozen=True)
class Profile:
    """A subgroup readers can choose: `key` is what the address carries ("region:84")."""

    dimension: str
    value: str
    label: str

    @property
    def key(self):
        return f"{self.dimension}:{self.value}"


def _levels(dimension):
    if dimension == "practice_group":
        return list(_PRACTICE_GROUPS.items())
    if dimension == "practice_setting":
        return [(value, _("doctors practising %(setting)s") % {"setting": label})
                for value, label in Response.PracticeSetting.choices]  # fmt: skip
    return [(value, _("doctors in %(region)s") % {"region": label}) for value, label in Region.choices]


def level_labels(dimension):
    """Return {level value: label} of one profile dimension, in the reader's language."""
    return {value: str(label) for value, label in _levels(dimension)}


def profile_choices():
    """Return [(dimension label, [Profile, …])] in the order readers choose them."""
    return [
        (
            DIMENSION_LABELS[dimension],
            [Profile(dimension, value, str(label)) for value, label in _levels(dimension)],
        )
        for dimension in PROFILE_DIMENSIONS
    ]


def parse_profile(key):
    """Return the Profile named by `key` ("practice_group:gp"), or None when it names none."""
    dimension, _sep, value = (key or "").partition(":")
    if dimension not in PROFILE_DIMENSIONS:
        return None
    labels = level_labels(dimension)
    return Profile(dimension, value, labels[value]) if value in labels else None


@dataclass(frozen=True)
class SubgroupFigures(WithVariance):
    """A product's figure for one measure ("global" or a facet slug) within one subgroup."""

    product_id: int
    dimension: str
    value: str
    measure: str
    n: int
    n_effective: float | None
    score: float | None
    ci_low: float | None
    ci_high: float | None
    variance: float | None
    status: str
    sums: tuple = ()  # (sum_w, sum_w2, sum_wy, sum_wy2): the weighted sums the open data publishes

    @property
    def is_limited(self):
        return self.status == Status.LIMITED

    @property
    def is_shown(self):
        return self.score is not None

    sum_w = property(lambda self: self.sums[0] if self.sums else None)
    sum_w2 = property(lambda self: self.sums[1] if self.sums else None)
    sum_wy = property(lambda self: self.sums[2] if self.sums else None)
    sum_wy2 = property(lambda self: self.sums[3] if self.sums else None)


# Measures in the export's order, the global score first.
_MEASURE_ORDER = {measure: i for i, measure in enumerate((GLOBAL, *FACET_SLUGS))}
_FIELDS = ("product_id", "dimension", "value", "measure", "n", "n_effective", "score", "ci_low", "ci_high",
           "variance", "status")  # fmt: skip


def subgroup_scores(snapshot, product_ids, dimension, value=None):
    """Return {product id: {value: {measure: SubgroupFigures}}} of one dimension (one level if `value`).

    Measures come in the export's order, "global" first. Products or levels without a row are absent.
    """
    result = {pid: {} for pid in product_ids}
    if snapshot is None or not result:
        return result
    rows = SubgroupScore.objects.filter(
        snapshot_id=snapshot.pk,
        product_id__in=list(result),
        dimension=dimension,
        n__gte=snapshot.min_respondents,
    )
    if value is not None:
        rows = rows.filter(value=value)
    order = _MEASURE_ORDER
    for row in sorted(rows.values_list(*_FIELDS), key=lambda r: (r[0], r[2], order.get(r[3], len(order)))):
        figures = SubgroupFigures(*row)
        result[figures.product_id].setdefault(figures.value, {})[figures.measure] = figures
    return result


def subgroup_rows(snapshot, products=None):
    """Return every stored subgroup row of `snapshot` (as the API and open data publish them), in order."""
    if snapshot is None:
        return []
    rows = SubgroupScore.objects.filter(snapshot_id=snapshot.pk, n__gte=snapshot.min_respondents)
    if products is not None:
        rows = rows.filter(product__in=products)
    order = _MEASURE_ORDER
    dims = {d: i for i, d in enumerate(PROFILE_DIMENSIONS)}
    sums = ("sum_w", "sum_w2", "sum_wy", "sum_wy2")
    return sorted(
        (
            SubgroupFigures(*row[: len(_FIELDS)], sums=row[len(_FIELDS) :])
            for row in rows.values_list(*_FIELDS, *sums)
        ),
        key=lambda f: (f.product_id, dims.get(f.dimension, 9), f.value, order.get(f.measure, len(order))),
    )
