"""The score bar: the 1–5 scale with the interval drawn as a band and the score as a mark, for the eye only."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils import translation

BAR = Template("{% load cms_tags %}{% score_bar score low high %}")


def _bar(score, low, high):
    with translation.override("fr"):  # a decimal comma in the page must not reach the SVG's numbers
        svg = BeautifulSoup(
            BAR.render(Context({"score": score, "low": low, "high": high})), "html.parser"
        ).svg
    if svg is None:
        return None
    return svg, {rect["class"][0]: rect for rect in svg.find_all("rect")}


def test_positions_on_the_scale():
    svg, rects = _bar(3.0, 2.0, 4.5)
    assert svg["aria-hidden"] == "true" and svg["viewbox"] == "0 0 100 12"
    assert float(rects["score-bar-mark"]["x"]) == pytest.approx(50.0)
    assert float(rects["score-bar-interval"]["x"]) == pytest.approx(25.0)
    assert float(rects["score-bar-interval"]["width"]) == pytest.approx(62.5)


def test_the_bar_stays_on_the_scale_and_a_narrow_interval_still_shows():
    _svg, rects = _bar(4.98, 4.97, 5.3)
    assert float(rects["score-bar-interval"]["x"]) + float(rects["score-bar-interval"]["width"]) <= 100.6
    assert float(rects["score-bar-mark"]["x"]) <= 100
    _svg, rects = _bar(3.0, 3.0, 3.0)
    assert float(rects["score-bar-interval"]["width"]) > 0


@pytest.mark.parametrize("missing", ["score", "low", "high"])
def test_nothing_is_drawn_without_a_score_and_its_interval(missing):
    values = {"score": 3.2, "low": 3.0, "high": 3.4, missing: None}
    assert _bar(**values) is None
