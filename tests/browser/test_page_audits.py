"""Every public page and every page of a signed-in doctor, checked by axe-core and the Nu Html Checker.

axe-core (npm `axe-core`, injected with Playwright into Debian's Chromium) must find no violation of any
impact, at 1280 and 390 px wide (the readers' pages in English too: /en/ and the French address, which
leads to the page's English translation), with every <details> open so that the tables behind the charts
and the folded filters are checked too. The Nu Html Checker (npm `vnu-jar`, on the machine's Java) must find no
error in the HTML as served. The pages are those of `seed_demo`'s site (tests/browser/demo_urls.py); a
page that the demo stops having fails here rather than being skipped.
"""

import pytest

from cms.models import LegalPage
from surveys.demo.accounts import DEMO_DOCTOR_EMAIL
from tests.browser.conftest import new_page
from tests.browser.site import run_axe, run_vnu, sign_in

pytestmark = pytest.mark.browser

READER_PAGES = [
    "home",
    "catalogue",
    "catalogue, sorted and paged",
    "catalogue, filtered",
    "product, ranked",
    "product, for a doctor like me",
    "product, limited data",
    "product, no score",
    "vendor",
    "rankings",
    "category ranking",
    "comparison, empty",
    "comparison of three tools",
    "comparison, general practitioners",
    "search",
    "search, empty",
    "open data",
    "sign in",
    "sign up",
    "password reset",
    "ArticleIndexPage",
    "ArticlePage",
    "ReviewIndexPage",
    "ExpertReviewPage",
    "MethodologyPage",
    *(f"LegalPage {kind}" for kind in LegalPage.Kind.values),
]
DOCTOR_PAGES = [
    "account",
    "my ratings",
    "survey",
    "campaign",
    "tool picker",
    "rating form",
    "conflicts of interest",
    "password change",
    "account deletion",
]
WIDTHS = [1280, 390]
OPEN_EVERYTHING = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
# Tables scroll inside a labelled, focusable region; the page itself never scrolls sideways (390 px phones).
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  document.querySelectorAll('main table').forEach((table, i) => {
    const region = table.closest('.table-scroll[role=region][tabindex="0"]');
    const label = region && document.getElementById(region.getAttribute('aria-labelledby'));
    if (!label || !label.textContent.trim()) { problems.push('table ' + i + ' is not in a labelled scroll region'); }
  });
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  if (overflow > 1) { problems.push('the page is ' + overflow + ' px wider than the screen'); }
  return problems;
}"""
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.js-chart')).every(
  c => c.querySelector('.main-svg'))"""


@pytest.fixture(scope="module")
def doctor_state(browser, demo_site):
    """The demo doctor's signed-in browser state (cookies), shared by the doctor's pages."""
    page = new_page(browser)
    sign_in(page, demo_site, DEMO_DOCTOR_EMAIL)
    state = page.context.storage_state()
    page.context.close()
    return state


def _path(demo_site, group, name):
    pages = demo_site.pages[group]
    assert name in pages, f"the demo site has no {name!r} page any more: {sorted(pages)}"
    return pages[name]


def _explain(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations
    )


def _audit(browser, demo_site, path, width, storage_state=None):
    page = new_page(browser, width=width, storage_state=storage_state)
    try:
        response = page.goto(demo_site.url(path))
        assert response.status == 200, f"{path} answered {response.status}"
        page.wait_for_function(CHARTS_DRAWN)
        page.evaluate(OPEN_EVERYTHING)
        layout = page.evaluate(LAYOUT_PROBLEMS)
        assert layout == [], f"{path} at {width} px: {layout}"
        return run_axe(page)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", READER_PAGES)
def test_axe_finds_nothing_on_the_readers_pages(browser, demo_site, name, width):
    violations = _audit(browser, demo_site, _path(demo_site, "reader", name), width)
    assert not violations, _explain(violations)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", READER_PAGES)
def test_axe_finds_nothing_on_the_readers_pages_in_english(browser, demo_site, name, width):
    violations = _audit(browser, demo_site, "/en" + _path(demo_site, "reader", name), width)
    assert not violations, _explain(violations)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", DOCTOR_PAGES)
def test_axe_finds_nothing_on_the_doctors_pages(browser, demo_site, doctor_state, name, width):
    violations = _audit(browser, demo_site, _path(demo_site, "doctor", name), width, doctor_state)
    assert not violations, _explain(violations)


def test_the_nu_html_checker_finds_no_error(browser, demo_site, doctor_state, tmp_path):
    files = []
    groups = (
        ("reader", READER_PAGES, None, ""),
        ("reader", READER_PAGES, None, "/en"),
        ("doctor", DOCTOR_PAGES, doctor_state, ""),
    )
    for group, names, state, prefix in groups:
        context = browser.new_context(storage_state=state)
        for index, name in enumerate(names):
            served = context.request.get(demo_site.url(prefix + _path(demo_site, group, name)))
            assert served.status == 200, (name, served.status)
            language = "en" if prefix else "fr"
            file = tmp_path / f"{group}-{language}-{index:02d}-{name.replace(' ', '-').replace(',', '')}.html"
            file.write_bytes(served.body())
            files.append(file)
        context.close()
    assert run_vnu(files) == []
