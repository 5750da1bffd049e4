"""Stored answer distributions are §9-safe: the database never holds a level or group of 1-4 answers."""

import pytest
from django.db import IntegrityError, transaction

from analytics.models import AnswerDistribution, ScoreSnapshot
from analytics.services import recompute_scores
from ratings.models import FACET_SLUGS

from . import builders

pytestmark = pytest.mark.django_db


def test_recompute_stores_levels_groups_or_nothing_per_facet():
    (product,) = builders.catalogue(1)
    camp = builders.campaign()
    ease = [1, 1, 2, 2, 2, 4, 4, 4, 4, 5, 5, 5]  # 1-2: 5, 3: 0, 4-5: 7 -> the three groups
    support = [1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 5, 5]  # 4-5 holds 2 even merged -> nothing
    answers = [
        dict.fromkeys(FACET_SLUGS, 4) | {"ease_of_use": e, "support": s}
        for e, s in zip(ease, support, strict=True)
    ]
    builders.answer(builders.doctors(12), product, camp, answers)
    recompute_scores()

    rows = AnswerDistribution.objects.filter(snapshot=ScoreSnapshot.objects.current(), product=product)
    by_facet = {}
    for row in rows.order_by("facet", "level_low"):
        by_facet.setdefault(row.facet, []).append((row.level_low, row.level_high, row.count))
    assert by_facet["ease_of_use"] == [(1, 2, 5), (3, 3, 0), (4, 5, 7)]
    assert "support" not in by_facet
    assert by_facet["reliability"] == [(1, 1, 0), (2, 2, 0), (3, 3, 0), (4, 4, 12), (5, 5, 0)]
    assert not rows.filter(count__gte=1, count__lte=4).exists()


@pytest.mark.parametrize("count", [1, 4])
def test_the_database_refuses_a_band_of_one_to_four_answers(count):
    (product,) = builders.catalogue(1)
    camp = builders.campaign()
    builders.answer(builders.doctors(5), product, camp, dict.fromkeys(FACET_SLUGS, 4))
    snapshot, _ = recompute_scores()
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerDistribution.objects.create(
            snapshot=snapshot,
            product=product,
            facet="features",
            level_low=1,
            level_high=2,
            share=0.5,
            count=count,
        )
