"""The API's §10 additions: a tool's subgroup rows (from 5 respondents, never fewer) and the contract shares
with their intervals and n (null below 10 answers); bad dimension values answer 400 with a reason."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from analytics.models import ScoreSnapshot, SubgroupScore
from ratings.models import FACET_SLUGS
from surveys.models import Doctor, Response
from tests.analytics import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated():
    camp = builders.campaign()
    product, thin = builders.catalogue(2)
    gps = builders.doctors(12)
    Doctor.objects.filter(pk__in=[d.pk for d in gps[:4]]).update(region="84")
    builders.answer(gps, product, camp, dict.fromkeys(FACET_SLUGS, 4), price_increased=True)
    builders.answer(builders.doctors(9, specialty="cardiology"), product, camp, dict.fromkeys(FACET_SLUGS, 3))
    builders.answer(builders.doctors(9), thin, camp, dict.fromkeys(FACET_SLUGS, 3), price_increased=False)
    Response.objects.filter(product=product, doctor__specialty="cardiology").update(price_increased=False)
    call_command("recompute_scores", stdout=io.StringIO())
    return product, thin


def test_a_tool_s_subgroup_rows_are_those_stored_and_none_below_five(client, rated):
    product, thin = rated
    rows = client.get(reverse("api:product-subgroups", args=[product.slug])).json()
    stored = SubgroupScore.objects.filter(snapshot=ScoreSnapshot.objects.current(), product=product)
    assert len(rows) == stored.count() > 0
    assert {(r["dimension"], r["value"]) for r in rows} == {
        ("practice_group", "gp"),
        ("practice_group", "specialist"),
    }
    assert all(r["n"] >= 5 for r in rows)  # the 4 doctors of region 84 have no row
    gp = next(r for r in rows if r["value"] == "gp" and r["measure"] == "global")
    row = stored.get(value="gp", measure="global")
    assert (gp["n"], gp["score"], gp["ci_low"], gp["status"], gp["sum_w"]) == (
        12,
        row.score,
        row.ci_low,
        "limited",
        row.sum_w,
    )
    thin_rows = client.get(reverse("api:product-subgroups", args=[thin.slug])).json()
    assert {(r["value"], r["n"], r["status"]) for r in thin_rows} == {("gp", 9, "limited")}
    only = client.get(reverse("api:product-subgroups", args=[product.slug]), {"dimension": "region"}).json()
    assert only == []


@pytest.mark.parametrize("bad", ["specialty", "", "région"])
def test_an_unknown_dimension_answers_400_with_the_reason(client, rated, bad):
    product, _ = rated
    answer = client.get(reverse("api:product-subgroups", args=[product.slug]), {"dimension": bad})
    assert answer.status_code == 400 and "dimension" in answer.json()


def test_the_contract_shares_carry_their_interval_and_n_or_null_below_ten(client, rated):
    product, thin = rated
    shown = client.get(reverse("api:product-detail", args=[product.slug])).json()
    assert shown["price_increased_n"] == 21
    assert shown["price_increased_pct"] == pytest.approx(100 * 12 / 21, abs=20)  # weighted by practice group
    assert shown["price_increased_ci_low"] < shown["price_increased_pct"] < shown["price_increased_ci_high"]
    hidden = client.get(reverse("api:product-detail", args=[thin.slug])).json()
    for part in ("pct", "ci_low", "ci_high", "n"):
        assert hidden[f"price_increased_{part}"] is None
    assert hidden["switch_n"] is None and hidden["long_commitment_pct"] is None
