"""Saving an edited methodology: a version used for scores is never changed, the edit becomes a new one."""

import pytest

from ratings.models import Methodology
from ratings.services import lock_methodology, save_methodology_edit

pytestmark = pytest.mark.django_db


def test_an_unused_version_is_edited_in_place():
    edited = Methodology.objects.current()
    edited.alpha = "0.200"
    saved = save_methodology_edit(edited=edited)
    assert saved.pk == edited.pk and Methodology.objects.count() == 1
    assert float(Methodology.objects.get().alpha) == pytest.approx(0.2)


def test_an_edit_of_a_locked_version_becomes_the_next_version_with_its_weights_and_strata():
    v1 = lock_methodology(methodology=Methodology.objects.current())
    edited = Methodology.objects.get(pk=v1.pk)
    edited.alpha = "0.200"
    weight = edited.facet_weights.first()
    weight.weight = 2
    edited.facet_weights = [weight, *edited.facet_weights.all()[1:]]
    saved = save_methodology_edit(edited=edited)
    v1.refresh_from_db()
    assert float(v1.alpha) == pytest.approx(0.3) and v1.facet_weights.filter(weight=2).count() == 0
    assert (saved.version, saved.is_locked, float(saved.alpha)) == (v1.version + 1, False, pytest.approx(0.2))
    assert saved.facet_weights.count() == v1.facet_weights.count()
    assert saved.facet_weights.filter(weight=2).count() == 1
    assert saved.strata.count() == v1.strata.count()
