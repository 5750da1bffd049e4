"""The comparison page's plain-language lines (METHODOLOGY §6), checked against scipy and statsmodels."""

import io
import itertools

import numpy as np
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from scipy import stats
from statsmodels.stats.multitest import multipletests

from analytics import published
from cms.reports.comparison import compare_pairs
from ratings.models import FACET_SLUGS
from tests.analytics import builders

pytestmark = pytest.mark.django_db


def test_pairs_follow_methodology_6_against_scipy_and_statsmodels():
    rng = np.random.default_rng(3)
    values = [(f"T{i}", float(rng.uniform(2, 4.5)), float(rng.uniform(0.02, 0.3))) for i in range(4)]
    lines = compare_pairs(values, "F")
    pairs = list(itertools.combinations(values, 2))
    p = [2 * stats.norm.sf(abs(a[1] - b[1]) / np.hypot(a[2], b[2])) for a, b in pairs]
    reject, adjusted, _, _ = multipletests(p, alpha=0.05, method="holm")
    assert len(lines) == 6
    for line, (a, b), ok, p_holm in zip(lines, pairs, reject, adjusted, strict=True):
        assert line.p_holm == pytest.approx(p_holm)
        assert (line.verdict == "higher") == bool(ok)
        if ok:
            high, low = (a, b) if a[1] > b[1] else (b, a)
            assert (line.first, line.second) == (high[0], low[0])
            half = 1.959964 * np.hypot(a[2], b[2])
            assert (line.difference_low, line.difference_high) == pytest.approx(
                (abs(a[1] - b[1]) - half, abs(a[1] - b[1]) + half), abs=1e-4
            )
        else:
            assert line.sentence.endswith("cannot be told apart on F") or "départagés" in line.sentence


def test_a_side_without_a_score_says_not_enough_answers_for_it():
    lines = compare_pairs([("A", 4.0, 0.1), ("B", None, None), ("C", 3.0, 0.1)], "Support")
    assert [line.verdict for line in lines] == ["not_enough", "higher", "not_enough"]
    assert "B" in lines[0].sentence and "Support" in lines[0].sentence
    assert lines[1].sentence.startswith("A ") and ("+1.0" in lines[1].sentence or "+1,0" in lines[1].sentence)


@pytest.fixture
def tools():
    camp = builders.campaign()
    good, poor, twin, thin = builders.catalogue(4, vendor="agendoc", category="agenda")
    builders.answer(builders.doctors(40), good, camp, dict.fromkeys(FACET_SLUGS, 5))
    builders.answer(builders.doctors(40), poor, camp, dict.fromkeys(FACET_SLUGS, 2))
    builders.answer(builders.doctors(40), twin, camp, dict.fromkeys(FACET_SLUGS, 2))
    builders.answer(builders.doctors(3), thin, camp, dict.fromkeys(FACET_SLUGS, 4))
    call_command("recompute_scores", stdout=io.StringIO())
    return good, poor, twin, thin


def page_lines(client, *slugs):
    query = "&".join(f"p={s}" for s in slugs)
    page = BeautifulSoup(client.get(f"{reverse('cms:compare')}?{query}").content, "html.parser")
    return page, [li.get_text(" ", strip=True) for li in page.select("ul.pair-lines li")]


def test_the_page_says_which_differences_are_real_on_every_row(client, tools):
    good, poor, twin, thin = tools
    page, lines = page_lines(client, good.slug, poor.slug, twin.slug)
    rows = 1 + len(FACET_SLUGS)
    assert len(lines) == 3 * rows
    higher = [line for line in lines if good.name in line and ("higher" in line or "mieux noté" in line)]
    assert len(higher) == 2 * rows
    assert all(line.startswith(good.name) for line in higher)
    tied = [line for line in lines if "told apart" in line or "départagés" in line]
    assert len(tied) == rows and all(poor.name in t and twin.name in t for t in tied)
    snapshot = published.current_snapshot()
    g, p = published.product_score(snapshot, good), published.product_score(snapshot, poor)
    assert f"{g.display_score - p.display_score:+.1f}".replace(".", ",") in " ".join(higher)
    _, with_thin = page_lines(client, good.slug, thin.slug)
    assert all(thin.name in line and ("enough" in line or "assez" in line) for line in with_thin)


def test_a_fifth_tool_and_an_unknown_slug_are_named_as_left_out(client, tools):
    good, poor, twin, thin = tools
    extra = builders.catalogue(1, vendor="visio", category="agenda")[0]
    page, _ = page_lines(client, good.slug, poor.slug, twin.slug, thin.slug, extra.slug, "no-such-tool")
    alerts = " ".join(p.get_text() for p in page.select("[role=alert]"))
    assert extra.name in alerts and "no-such-tool" in alerts
    columns = [a.get_text() for a in page.select("table thead th a")]
    assert columns == [good.name, poor.name, twin.name, thin.name]
    boxes = page.select("input[type=checkbox][name=p]")
    assert {b["value"] for b in boxes if b.has_attr("checked")} == {
        good.slug,
        poor.slug,
        twin.slug,
        thin.slug,
    }
    assert page.find("select", attrs={"multiple": True}) is None
