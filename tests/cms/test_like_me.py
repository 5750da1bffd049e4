"""'For a doctor like me' on the product page (METHODOLOGY §10): the chosen profile's scores with their
intervals, the "limited data" label from 5 to 19 doctors, nothing under 5, and the §6 line comparing
subgroups. The figures are the recompute's own (tested against references in
tests/analytics/test_core_subgroups.py); here what is shown, what is hidden and the wording."""

import io
import re

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse
from scipy import stats

from analytics.models import ScoreSnapshot, SubgroupScore
from ratings.models import FACET_SLUGS
from surveys.models import Doctor
from tests.analytics import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated():
    camp = builders.campaign()
    product, other = builders.catalogue(2)
    gps = builders.doctors(25)
    Doctor.objects.filter(pk__in=[d.pk for d in gps[:9]]).update(region="53")
    Doctor.objects.filter(pk__in=[d.pk for d in gps[9:13]]).update(region="84")
    builders.answer(gps, product, camp, dict.fromkeys(FACET_SLUGS, 5), practice_setting="group")
    specialists = builders.doctors(9, specialty="cardiology")
    builders.answer(specialists, product, camp, dict.fromkeys(FACET_SLUGS, 2), practice_setting="solo")
    builders.answer(builders.doctors(4, specialty="cardiology"), other, camp, dict.fromkeys(FACET_SLUGS, 3))
    call_command("recompute_scores", stdout=io.StringIO())
    return product, other


def _page(client, product, profile):
    response = client.get(reverse("cms:product_detail", args=[product.slug]), {"profil": profile})
    assert response.status_code == 200
    return response.content.decode()


def _text(html, element_id):
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(p|table)>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def test_general_practitioners_see_their_own_score_and_how_it_differs(client, rated):
    product, _ = rated
    stored = SubgroupScore.objects.get(
        snapshot=ScoreSnapshot.objects.current(), product=product, dimension="practice_group", value="gp",
        measure="global",
    )  # fmt: skip
    html = _page(client, product, "practice_group:gp")
    result = _text(html, "like-me-result")
    assert "25" in result and f"{stored.score:.2f}".replace(".", ",") in result
    assert f"{stored.ci_low:.2f}".replace(".", ",") in result
    assert "données limitées" not in result
    # 25 GPs at 5 against 9 specialists at 2: the §6 test says the GPs rate it higher.
    specialists = SubgroupScore.objects.get(product=product, value="specialist", measure="global")
    d = stored.score - specialists.score
    se = np.sqrt(stored.variance + specialists.variance)
    assert 2 * stats.norm.sf(d / se) < 0.05
    low = f"{d - stats.norm.ppf(0.975) * se:+.2f}".replace(".", ",")
    line = "Les médecins généralistes le notent plus haut que les médecins spécialistes (écart +3,00, intervalle à 95"
    assert line in html and f"de {low} à" in html
    facets = _text(html, "like-me-facets")
    assert facets.count("5,00") == 2 * len(FACET_SLUGS)  # each score and its interval's upper bound


def test_a_subgroup_of_5_to_19_is_labelled_limited_and_one_of_4_shows_nothing(client, rated):
    product, other = rated
    assert "données limitées" in _text(_page(client, product, "practice_group:specialist"), "like-me-result")
    assert "données limitées" in _text(_page(client, product, "region:53"), "like-me-result")
    for page in (_page(client, product, "region:84"), _page(client, other, "practice_group:specialist")):
        result = _text(page, "like-me-result")
        assert result.startswith("Pas encore assez de réponses des") and "moins de 5" in result
        assert 'id="like-me-facets"' not in page
    assert not SubgroupScore.objects.filter(value="84").exists()
    assert not SubgroupScore.objects.filter(product=other).exists()


def test_the_practice_setting_answered_in_the_survey_is_a_profile(client, rated):
    product, _ = rated
    assert "25 médecins" in _text(_page(client, product, "practice_setting:group"), "like-me-result")
    assert "Pas encore assez de réponses" in _text(
        _page(client, product, "practice_setting:health_centre"), "like-me-result"
    )


@pytest.mark.parametrize("bad", ["region:99", "practice_group", "nothing:gp", "x" * 300])
def test_an_unknown_profile_is_said_so_on_the_form(client, rated, bad):
    product, _ = rated
    html = _page(client, product, bad)
    assert 'aria-invalid="true"' in html and "Ce profil n&#x27;existe pas" in html
    assert 'id="like-me-result"' not in html


def test_choosing_a_profile_costs_a_bounded_number_of_queries(client, rated, django_assert_max_num_queries):
    product, _ = rated
    url = reverse("cms:product_detail", args=[product.slug])
    client.get(url)
    with django_assert_max_num_queries(30) as plain:
        client.get(url)
    with django_assert_max_num_queries(len(plain.captured_queries) + 1):
        client.get(url, {"profil": "region:53"})


def test_the_comparison_shows_the_chosen_profile_s_scores_and_compares_them(client, rated):
    product, other = rated
    url = reverse("cms:compare")
    page = client.get(
        url, {"p": [product.slug, other.slug], "profil": "practice_group:specialist"}
    ).content.decode()
    table = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[page.index("compare-table-caption") :]))
    stored = SubgroupScore.objects.get(product=product, value="specialist", measure="global")
    assert "Note globale selon les médecins spécialistes" in table
    assert f"{stored.score:.2f}".replace(".", ",") in table and "données limitées" in table
    assert "moins de 5" in table  # the other tool's 4 specialists
    assert f"pas assez de réponses sur la note globale pour {other.name}" in page.replace("&#x27;", "'")
    # Without a profile: every doctor's scores, the usual chart.
    plain = client.get(url, {"p": [product.slug, other.slug]}).content.decode()
    assert "Note globale selon" not in plain and 'id="compare-prices"' in plain
    bad = client.get(url, {"p": [product.slug, other.slug], "profil": "region:00"})
    assert bad.status_code == 200 and "Ce profil n&#x27;existe pas" in bad.content.decode()
