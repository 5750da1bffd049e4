"""The adapter end to end: eligibility, snapshot storage, the FORMATS.md export, the background task."""

import csv
import io
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from analytics.export import COLUMNS
from analytics.loading import load_responses
from analytics.models import ProductScore, ScoreSnapshot
from analytics.services import recompute_scores
from ratings.models import FACET_SLUGS, Methodology
from surveys.models import ConflictOfInterest, Response, ResponseFlag
from surveys.signals import scores_invalidated

from . import builders

pytestmark = pytest.mark.django_db


def export(*args):
    out = io.StringIO()
    call_command("export_scores", *args, stdout=out)
    return out.getvalue()


def export_csv(*args):
    return list(csv.DictReader(io.StringIO(export(*args))))


def all_facets(value):
    return dict.fromkeys(FACET_SLUGS, value)


def test_only_counted_responses_are_loaded():
    product, other = builders.catalogue(2)
    camp = builders.campaign()
    later = builders.campaign("automne-2026", closes=builders.datetime.date(2026, 12, 15), status="open")
    ok = builders.doctors(3)
    pending = builders.doctors(1, status="pending")
    builders.answer(ok, product, camp, all_facets(4))
    builders.answer(pending, product, camp, all_facets(1))
    builders.answer(ok[:1], other, camp, all_facets(2))
    builders.answer(ok[:1], other, later, all_facets(5))
    Response.objects.filter(doctor=ok[1], product=product).update(excluded=True)
    ConflictOfInterest.objects.create(doctor=ok[2], vendor=product.vendor, description="consultant")
    draft = builders.answer(builders.doctors(1), product, camp, all_facets(3))[0]
    Response.objects.filter(pk=draft.pk).update(status="draft")
    flagged = Response.objects.get(doctor=ok[0], product=product)
    ResponseFlag.objects.create(response=flagged, kind="burst")

    # One SELECT, whatever the number of rows (on PostgreSQL a SET LOCAL and a savepoint go with it).
    with CaptureQueriesContext(connection) as queries:
        frame = load_responses(until=camp.closes_on)
    reads = [q["sql"] for q in queries.captured_queries if "SELECT" in q["sql"]]
    assert len(reads) == 1  # on PostgreSQL: DECLARE … CURSOR FOR SELECT …
    # ok[1] excluded, ok[2] conflicted with the vendor, the pending doctor, the draft and the later
    # campaign are out: ok[0]'s two answers remain.
    frame = frame.sort_values("product_id")
    assert frame["product_id"].tolist() == [product.pk, other.pk]
    assert frame["doctor_id"].tolist() == [ok[0].pk, ok[0].pk]
    assert frame["flagged"].tolist() == [True, False]
    assert frame["practice_group"].tolist() == ["gp", "gp"]
    assert frame["ease_of_use"].tolist() == [4.0, 2.0]
    assert str(frame["campaign_end"].dt.tz) == "UTC"


def test_doctor_score_is_the_population_weighted_mean():
    """Through the whole pipeline, against a weighted mean computed here by hand (METHODOLOGY §3–4)."""
    (product,) = builders.catalogue(1)
    camp = builders.campaign()
    gps = builders.doctors(6, specialty="general_practice")
    specialists = builders.doctors(18, specialty="cardiology")
    gp_answers = [all_facets(v) for v in (5, 5, 4, 5, 4, 5)]
    spe_answers = [all_facets(v) for v in (2, 3, 2, 3, 3, 2, 1, 2, 3, 2, 3, 2, 2, 3, 1, 2, 3, 2)]
    builders.answer(gps, product, camp, gp_answers, recommend=[10, 9, 9, 10, 8, 9])
    builders.answer(specialists, product, camp, spe_answers, recommend=[3] * 18)
    recompute_scores()

    g = np.array([a["ease_of_use"] for a in gp_answers + spe_answers], dtype=float)
    n = len(g)
    share = {"gp": 60_900 / 116_100, "spe": 55_200 / 116_100}
    w = np.array([share["gp"] / (6 / n)] * 6 + [share["spe"] / (18 / n)] * 18)
    assert w.max() <= 5 * w.mean()  # no trimming in this example
    expected = (w * g).sum() / w.sum()
    n_eff = w.sum() ** 2 / (w**2).sum()

    (row,) = export_csv()
    assert row["status"] == "ok"
    assert int(row["n_respondents"]) == 24
    assert float(row["doctor_score"]) == pytest.approx(expected, abs=1e-6)
    assert float(row["n_effective"]) == pytest.approx(n_eff, abs=1e-6)
    assert float(row["doctor_ci_low"]) < expected < float(row["doctor_ci_high"])
    recommend_share = w[:6][np.array([10, 9, 9, 10, 8, 9]) >= 9].sum() / w.sum()
    assert float(row["recommend_pct"]) == pytest.approx(100 * recommend_share, abs=1e-6)
    # The unweighted mean would be far lower: the weighting is really applied.
    assert g.mean() < expected - 0.5


def test_export_follows_formats_md():
    big, small, silent = builders.catalogue(3)
    camp = builders.campaign()
    builders.answer(builders.doctors(25), big, camp, all_facets(4) | {"support": None})
    builders.answer(builders.doctors(3), small, camp, all_facets(5))
    call_command("recompute_scores", stdout=io.StringIO())

    text = export()
    header = text.splitlines()[0].split(",")
    assert header == COLUMNS
    assert header[:14] == [
        "product", "vendor", "category", "n_respondents", "n_effective", "doctor_score", "doctor_ci_low",
        "doctor_ci_high", "expert_score", "global_score", "global_ci_low", "global_ci_high", "recommend_pct", "status",
    ]  # fmt: skip
    assert header[14:18] == [
        "ease_of_use_score",
        "ease_of_use_ci_low",
        "ease_of_use_ci_high",
        "ease_of_use_n",
    ]
    rows = {row["product"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {big.slug, small.slug, silent.slug}

    full = rows[big.slug]
    assert full["status"] == "ok"  # 25 respondents, equal weights: n_eff = 25
    for column in ("doctor_score", "doctor_ci_low", "n_effective", "ease_of_use_score"):
        assert len(full[column].split(".")[1]) >= 4
    assert full["support_score"] == "" and full["support_n"] == "0"
    assert full["expert_score"] == ""

    for slug in (small.slug, silent.slug):
        row = rows[slug]
        assert row["status"] == "insufficient"
        assert row["doctor_score"] == row["doctor_ci_low"] == row["global_score"] == ""
        assert row["ease_of_use_score"] == ""
    assert rows[small.slug]["n_respondents"] == "3"

    data = json.loads(export("--format", "json"))
    assert list(data[0]) == COLUMNS
    assert {d["product"] for d in data} == set(rows)
    vendor_rows = export_csv("--vendor", big.vendor.slug)
    assert {r["vendor"] for r in vendor_rows} == {big.vendor.slug}


def test_export_errors_are_clear():
    with pytest.raises(CommandError, match="recompute_scores"):
        export()
    builders.campaign()
    with pytest.raises(CommandError, match="Unknown campaign"):
        export("--campaign", "nope")
    with pytest.raises(CommandError, match="Unknown vendor"):
        call_command("recompute_scores", stdout=io.StringIO())
        export("--vendor", "nope")


def test_snapshots_keep_earlier_campaigns_and_lock_the_methodology():
    (product,) = builders.catalogue(1)
    spring = builders.campaign()
    autumn = builders.campaign("automne-2026", closes=builders.datetime.date(2026, 12, 15), status="open")
    builders.answer(builders.doctors(8), product, spring, all_facets(2))
    builders.answer(builders.doctors(8), product, autumn, all_facets(5))
    call_command("recompute_scores", "--all", stdout=io.StringIO())
    call_command("recompute_scores", stdout=io.StringIO())

    assert ScoreSnapshot.objects.filter(campaign=spring).count() == 1
    assert ScoreSnapshot.objects.filter(campaign=autumn).count() == 1
    current = ScoreSnapshot.objects.current()
    assert current.campaign == autumn
    spring_score = ProductScore.objects.get(snapshot__campaign=spring, product=product)
    autumn_score = ProductScore.objects.get(snapshot=current, product=product)
    assert spring_score.doctor_score < 2.5 < autumn_score.doctor_score
    assert Methodology.objects.get(version=1).is_locked
    spring_rows = export_csv("--campaign", spring.slug)
    assert float(spring_rows[0]["doctor_score"]) == pytest.approx(spring_score.doctor_score, abs=1e-6)


def test_scores_are_recomputed_when_the_survey_app_says_they_changed(django_capture_on_commit_callbacks):
    (product,) = builders.catalogue(1)
    camp = builders.campaign()
    builders.answer(builders.doctors(6), product, camp, all_facets(3))
    with django_capture_on_commit_callbacks(execute=True):
        scores_invalidated.send(sender=Response, reason="moderation")
    assert ProductScore.objects.get(product=product).n_respondents == 6


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_burst_of_changes_queues_one_recompute(django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            scores_invalidated.send(sender=Response, reason="moderation")
    assert DBTaskResult.objects.count() == 1
    assert DBTaskResult.objects.get().run_after is not None


def test_change_since_the_previous_campaign_is_significant_only_when_its_interval_excludes_zero():
    from analytics import published

    better, same = builders.catalogue(2)
    spring = builders.campaign()
    autumn = builders.campaign("automne-2026", closes=builders.datetime.date(2026, 12, 15), status="open")
    builders.answer(builders.doctors(40), better, spring, [all_facets(2)] * 20 + [all_facets(3)] * 20)
    builders.answer(builders.doctors(40), better, autumn, [all_facets(4)] * 20 + [all_facets(5)] * 20)
    same_answers = [all_facets(3)] * 20 + [all_facets(4)] * 20
    builders.answer(builders.doctors(40), same, spring, same_answers)
    builders.answer(builders.doctors(40), same, autumn, same_answers[1:] + [all_facets(4)])
    call_command("recompute_scores", "--all", stdout=io.StringIO())
    snapshot = published.current_snapshot()

    up = published.score_change(snapshot, published.score_history(better))
    before = ProductScore.objects.get(snapshot__campaign=spring, product=better)
    after = ProductScore.objects.get(snapshot_id=snapshot.pk, product=better)
    half = 1.959964 * np.sqrt(before.doctor_variance + after.doctor_variance)
    assert up.difference == pytest.approx(after.doctor_score - before.doctor_score)
    assert (up.low, up.high) == pytest.approx((up.difference - half, up.difference + half))
    assert up.significant and up.previous_campaign == spring

    flat = published.score_change(snapshot, published.score_history(same))
    assert flat.low < 0 < flat.high and not flat.significant


def test_expert_scores_are_weighted_means_loaded_in_a_few_queries(django_assert_max_num_queries):
    from analytics.loading import load_expert_scores
    from ratings.services import record_expert_assessment

    products = builders.catalogue(4)
    for i, product in enumerate(products):
        record_expert_assessment(
            product=product, source_page_id=100 + i, title="Test", reviewer="Dr X", reviewed_on="2026-01-10",
            scores={"ease_of_use": 5, "support": 1 + i},
        )  # fmt: skip
    methodology = Methodology.objects.current()
    with django_assert_max_num_queries(5):  # assessments, their scores, one weights look-up
        experts = load_expert_scores(methodology)
    assert experts.to_dict() == {p.pk: pytest.approx((5 + 1 + i) / 2) for i, p in enumerate(products)}


def test_export_says_which_strata_the_weights_used():
    """A product whose margins raking cannot reach is weighted on the practice group alone (METHODOLOGY §3)."""
    reachable, sparse = builders.reachable_and_unreachable_margins()
    call_command("recompute_scores", stdout=io.StringIO())

    assert COLUMNS[-7:] == [  # FORMATS: `weighting`, then METHODOLOGY §10's columns
        "weighting", "price_median", "price_q1", "price_q3", "price_n", "price_increased_pct", "switch_pct",
    ]  # fmt: skip
    rows = {row["product"]: row for row in export_csv()}
    assert rows[reachable.slug]["weighting"] == "practice_group+region"
    assert rows[sparse.slug]["weighting"] == "practice_group"
    assert rows[sparse.slug]["status"] == rows[reachable.slug]["status"] == "ok"
    stored = ProductScore.objects.get(snapshot=ScoreSnapshot.objects.current(), product=sparse)
    assert stored.weighting == "practice_group"


def test_facet_variance_and_vendor_product_count_are_stored():
    from analytics.models import FacetScore, VendorScore

    first, second = builders.catalogue(2)
    camp = builders.campaign()
    doctors = builders.doctors(25)
    builders.answer(doctors, first, camp, all_facets(4))
    builders.answer(doctors[:5], second, camp, all_facets(4))
    snapshot, _ = recompute_scores()

    assert VendorScore.objects.get(snapshot=snapshot, vendor=first.vendor).n_products == 2
    # METHODOLOGY §4 by hand: 25 unweighted answers at 4, prior a = (.35, .1, .1, .1, .35), A = 26.
    prior, levels = np.array([0.35, 0.1, 0.1, 0.1, 0.35]), np.arange(1, 6)
    m = (25 * 4 + (prior * levels).sum()) / 26
    m2 = (25 * 16 + (prior * levels**2).sum()) / 26
    facet = FacetScore.objects.get(snapshot=snapshot, product=first, facet="support")
    assert facet.variance == pytest.approx((m2 - m**2) / 27, rel=1e-12)
