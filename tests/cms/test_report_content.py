"""The vendor report's content: every figure from the read API, §6 comparisons, no small group (§9)."""

import datetime
import io
import random

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from scipy import stats
from statsmodels.stats.multitest import multipletests

from analytics import published
from cms.reports import ReportUnavailable, build_vendor_report, comparison
from ratings.models import FACET_SLUGS, Product, Vendor, VendorReply
from surveys.models import Response
from tests.analytics import builders

pytestmark = pytest.mark.django_db

SMALL_FACET = "independence"


def _answers(rng, n, centre):
    rows = []
    for _ in range(n):
        rows.append({f: min(5, max(1, round(rng.gauss(centre, 0.9)))) for f in FACET_SLUGS})
    return rows


def build_world():
    """Return {"vendor", "big", "small", "campaign", "previous"}: our vendor with a ranked product, a
    product of 3 respondents, a facet answered by 3, three rival products, and two campaigns."""
    rng = random.Random(11)
    big, small = builders.catalogue(2, vendor="agendoc", category="agenda")
    rivals = builders.catalogue(3, vendor="rdvsante", category="agenda")
    previous = builders.campaign(
        slug="automne-2025", opens=datetime.date(2025, 9, 1), closes=datetime.date(2025, 10, 31)
    )
    current = builders.campaign()
    for product, centre in zip(rivals, (2.4, 2.7, 3.0), strict=True):
        gps, specialists = builders.doctors(14), builders.doctors(14, specialty="cardiology")
        builders.answer(gps + specialists, product, current, _answers(rng, 28, centre), recommend=[8] * 28)
    old = builders.doctors(31) + builders.doctors(1, specialty="cardiology")
    earlier = [{**row, SMALL_FACET: None} for row in _answers(rng, 32, 3.0)]
    builders.answer(old, big, previous, earlier, recommend=[6] * 32)
    gps, specialists = builders.doctors(20), builders.doctors(3, specialty="cardiology")
    answers = _answers(rng, 23, 4.8)
    for i, row in enumerate(answers):
        row[SMALL_FACET] = 5 if i < 3 else None
    recommend = [10] * 15 + [7] * 5 + [3] * 3
    rows = builders.answer(gps + specialists, big, current, answers, recommend=recommend)
    builders.answer(builders.doctors(3), small, current, _answers(rng, 3, 2.0), recommend=[2] * 3)
    # Two published comments (a GP's, a specialist's: only 3 specialists, so signed "doctor"), one pending.
    Response.objects.filter(pk=rows[0].pk).update(
        comment="Agenda clair, synchronisation rapide.", comment_status=Response.CommentStatus.APPROVED
    )
    Response.objects.filter(pk=rows[-1].pk).update(
        comment="Support lent en été.",
        comment_status=Response.CommentStatus.APPROVED,
        submitted_at=timezone.make_aware(datetime.datetime(2026, 4, 30, 18)),
    )
    Response.objects.filter(pk=rows[1].pk).update(
        comment="Pas encore lu.", comment_status=Response.CommentStatus.PENDING
    )
    VendorReply.objects.create(
        product=big, text="Nous corrigeons la synchronisation.", status=VendorReply.Status.PUBLISHED,
        published_at=timezone.now(),
    )  # fmt: skip
    call_command("recompute_scores", "--all", stdout=io.StringIO())
    return {"vendor": big.vendor, "big": big, "small": small, "campaign": current, "previous": previous}


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def report(world):
    with translation.override("fr"):
        return build_vendor_report(world["vendor"], world["campaign"])


def test_the_first_page_carries_the_read_api_figures(world, report):
    snapshot = published.snapshot_for_campaign(world["campaign"])
    vendor = published.vendor_score(snapshot, world["vendor"])
    assert report.vendor_summary.doctor_score == vendor.doctor_score
    assert (report.vendor_summary.doctor_ci_low, report.vendor_summary.doctor_ci_high) == (
        vendor.doctor_ci_low,
        vendor.doctor_ci_high,
    )
    summaries = {p.summary.product: p.summary for p in report.products}
    big = summaries[world["big"].slug]
    figures = published.product_score(snapshot, world["big"])
    assert figures.is_ranked
    for name in (
        "global_score",
        "global_ci_low",
        "global_ci_high",
        "doctor_score",
        "rank",
        "rank_low",
        "rank_high",
        "n_respondents",
        "n_effective",
        "recommend_pct",
        "net_recommendation",
    ):
        assert getattr(big, name) == getattr(figures, name), name  # fmt: skip
    assert big.n_ranked == 4
    change = published.score_change(snapshot, published.score_history(world["big"]))
    assert change is not None and change.significant
    assert (big.change, big.change_low, big.change_high, big.change_significant) == (
        change.difference,
        change.low,
        change.high,
        True,
    )
    assert big.previous_campaign == world["previous"].title


def test_a_product_of_three_respondents_carries_no_figure(world, report):
    small = next(p for p in report.products if p.summary.product == world["small"].slug)
    s = small.summary
    assert s.status == "insufficient"
    figures = [s.n_respondents, s.n_effective, s.global_score, s.doctor_score, s.doctor_ci_low, s.rank,
               s.recommend_pct, s.net_recommendation, s.change]  # fmt: skip
    assert figures == [None] * len(figures)
    assert all(f.score is None and f.n is None and f.difference is None for f in small.facets)
    assert small.distributions == []
    assert {f.verdict for f in small.facets} == {comparison.Verdict.NOT_ENOUGH}


def test_a_facet_answered_by_three_has_no_figure_and_says_so(world, report):
    big = next(p for p in report.products if p.summary.product == world["big"].slug)
    line = next(f for f in big.facets if f.facet == SMALL_FACET)
    assert (line.n, line.score, line.ci_low, line.difference) == (None, None, None, None)
    assert line.sentence.startswith("not enough answers") or line.sentence.startswith("pas assez")
    assert SMALL_FACET not in {b.facet for b in big.distributions}


def test_facets_are_compared_with_the_other_ranked_products_as_methodology_6_says(world, report):
    snapshot = published.snapshot_for_campaign(world["campaign"])
    big = next(p for p in report.products if p.summary.product == world["big"].slug)
    rivals = list(Product.objects.filter(vendor__slug="rdvsante").values_list("pk", flat=True))
    cells = published.facet_scores(snapshot, rivals + [world["big"].pk])
    own = {c.facet: c for c in cells[world["big"].pk]}
    tested, p_values = [], []
    for facet in FACET_SLUGS:
        if own[facet].score is None:
            continue
        others = [c for pk in rivals for c in cells[pk] if c.facet == facet]
        precision = np.array([1 / c.variance for c in others])
        ref = np.sum(precision * [c.score for c in others]) / precision.sum()
        se = np.sqrt(own[facet].variance + 1 / precision.sum())
        d = own[facet].score - ref
        tested.append((facet, d, se))
        p_values.append(2 * stats.norm.sf(abs(d) / se))
    reject, p_holm, _, _ = multipletests(p_values, alpha=0.05, method="holm")
    lines = {f.facet: f for f in big.facets}
    z = stats.norm.ppf(0.975)
    for (facet, d, se), rejected, adjusted in zip(tested, reject, p_holm, strict=True):
        line = lines[facet]
        assert line.difference == pytest.approx(d)
        assert (line.difference_low, line.difference_high) == pytest.approx((d - z * se, d + z * se))
        assert line.p_holm == pytest.approx(adjusted)
        expected = ("higher" if d > 0 else "lower") if rejected else "tied"
        assert line.verdict == expected
    assert any(lines[f].verdict == "higher" for f, _, _ in tested)


def test_holm_matches_statsmodels_on_random_p_values():
    rng = np.random.default_rng(3)
    for _ in range(50):
        p = rng.uniform(0, 0.2, size=rng.integers(1, 9))
        assert comparison.holm(p) == pytest.approx(multipletests(p, method="holm")[1])


def test_the_sentences_follow_methodology_6():
    higher = comparison.Comparison(
        facet="support", verdict="higher", difference=0.4, difference_low=0.2, difference_high=0.6
    )
    with translation.override("en"):
        assert comparison.sentence(higher, "Support") == (
            "rated higher than the category on Support (difference +0.4, 95 % interval +0.2 to +0.6)"
        )
        tied = comparison.Comparison(facet="support", verdict="tied")
        assert comparison.sentence(tied, "Support") == "cannot be told apart from the category on Support"
        none = comparison.Comparison(facet="support", verdict="not_enough")
        assert comparison.sentence(none, "Support") == "not enough answers on Support"


def test_comments_are_the_campaigns_published_ones_newest_first_with_a_coarse_profile(world):
    Response.objects.filter(product=world["big"], campaign=world["previous"]).update(
        comment="Un avis de la campagne précédente.", comment_status=Response.CommentStatus.APPROVED
    )
    with translation.override("fr"):
        report = build_vendor_report(world["vendor"], world["campaign"])
    big = next(p for p in report.products if p.summary.product == world["big"].slug)
    assert [c.text for c in big.comments] == ["Support lent en été.", "Agenda clair, synchronisation rapide."]
    # Only 3 specialists rated it: the specialist is signed "doctor"; 20 GPs: the GP is named so.
    assert big.comments[0].profile in ("médecin", "doctor")
    assert big.comments[1].profile in ("médecin généraliste", "general practitioner")
    assert big.reply.text == "Nous corrigeons la synchronisation."


def test_the_identifier_and_digest_are_stable_and_follow_the_figures(world, report):
    again = build_vendor_report(world["vendor"], world["campaign"])
    assert again.sha256 == report.sha256 and len(report.sha256) == 64
    assert report.identifier == f"printemps-2026-agendoc-{report.sha256[:10]}"
    VendorReply.objects.filter(product=world["big"]).update(text="Autre réponse.")
    assert build_vendor_report(world["vendor"], world["campaign"]).sha256 != report.sha256


def test_a_campaign_without_scores_is_refused(world):
    empty = builders.campaign(
        slug="hiver-2027", opens=datetime.date(2027, 1, 1), closes=datetime.date(2027, 2, 1)
    )
    with pytest.raises(ReportUnavailable):
        build_vendor_report(Vendor.objects.get(slug="agendoc"), empty)
