"""A reader's paths through the demo site in Debian's Chromium: the catalogue, search, a comparison, a ranking.

The site is `seed_demo`'s, served by tests/browser/site.py; what each step expects is read from the
page before it (names, counts), so the tests hold as the demo's invented data changes.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import new_page

pytestmark = pytest.mark.browser


def _names(page):
    return page.locator(".results article h3").all_inner_texts()


def test_sort_the_catalogue_by_name_and_page_through_it(reader, demo_site):
    from playwright.sync_api import expect

    reader.goto(demo_site.url("/outils/"))
    total = reader.locator("#results-heading").inner_text()
    reader.select_option("#id_sort", "name")
    reader.click("form.filters button[type=submit]")
    reader.wait_for_url(re.compile(r"sort=name"))
    first_page = _names(reader)
    assert first_page == sorted(first_page, key=str.casefold)
    assert reader.locator("#results-heading").inner_text() == total

    reader.click(".pagination a[rel=next]")
    reader.wait_for_url(re.compile(r"page=2"))
    query = parse_qs(urlsplit(reader.url).query)
    assert query["sort"] == ["name"] and query["page"] == ["2"]  # the sort is kept in the URL
    expect(reader.locator(".pagination [aria-current=page]")).to_have_text("2")
    second_page = _names(reader)
    assert second_page and second_page == sorted(second_page, key=str.casefold)
    assert first_page[-1].casefold() <= second_page[0].casefold()
    assert not set(first_page) & set(second_page)

    # The page in the URL is a page a reader can share: opened anew, it shows the same tools.
    again = new_page(reader.context.browser)
    again.goto(reader.url)
    assert _names(again) == second_page
    again.context.close()


def test_filter_the_catalogue_on_a_phone_with_the_folded_filters(browser, demo_site):
    from playwright.sync_api import expect

    phone = new_page(browser, width=390, height=844)
    phone.goto(demo_site.url("/outils/"))
    filters = phone.locator("details.filters")
    expect(phone.locator("#id_min_score")).to_be_hidden()  # folded: results come first
    filters.locator("summary").click()
    phone.fill("#id_min_score", "3.5")
    phone.click("form.filters button[type=submit]")
    phone.wait_for_url(re.compile(r"min_score=3"))
    expect(phone.locator("#id_min_score")).to_be_visible()  # the filters in use stay open
    scores = [
        float(s.replace(",", ".").split()[0]) for s in phone.locator(".results .score").all_inner_texts()
    ]
    assert scores and min(scores) >= 3.5
    phone.context.close()


def test_search_from_the_header_ignoring_accents(reader, demo_site):
    from playwright.sync_api import expect

    reader.goto(demo_site.url("/"))
    reader.fill("#site-search-q", "teleconseil")  # the article's title is "Téléconseil payant…"
    reader.press("#site-search-q", "Enter")
    reader.wait_for_url(re.compile(r"/recherche/\?q=teleconseil"))
    expect(reader.locator("[role=status]")).to_contain_text("teleconseil")
    expect(reader.locator("main a", has_text="Téléconseil payant")).to_be_visible()
    reader.locator("main a", has_text="Téléconseil payant").first.click()
    expect(reader.locator("h1")).to_contain_text("Téléconseil payant")


def test_compare_three_tools_and_read_a_facet_line(reader, demo_site):
    from playwright.sync_api import expect

    slugs = parse_qs(urlsplit(demo_site.pages["reader"]["comparison of three tools"]).query)["p"]
    reader.goto(demo_site.url("/comparer/"))
    names = []
    for slug in slugs:
        box = reader.locator(f"#tool-choices input[value='{slug}']")
        label = box.locator("xpath=..")
        names.append(label.inner_text().strip())
        # The filter box narrows the list as the reader types; a tool still shows when its name is typed.
        reader.fill("#tool-filter", names[-1][:5])
        expect(label).to_be_visible()
        box.check()
    reader.fill("#tool-filter", "")
    reader.click(".compare-picker button[type=submit]")
    reader.wait_for_url(re.compile(r"/comparer/\?"))
    assert sorted(parse_qs(urlsplit(reader.url).query)["p"]) == sorted(slugs)

    header = reader.locator("#compare-table-caption").locator("xpath=..").locator("thead th")
    assert header.all_inner_texts()[1:] == names
    section = reader.locator("section[aria-labelledby=what-differs]")
    facet_heading = section.locator("h3").nth(1)  # the first facet, after the global score
    facet = facet_heading.inner_text()
    lines = facet_heading.locator("xpath=following-sibling::ul[1]/li").all_inner_texts()
    assert len(lines) == 3, lines  # one line per pair of the three tools
    for line in lines:
        assert (
            sum(name in line for name in names) == 2
            or "not enough answers" in line.lower()
            or ("pas assez" in line.lower())
        ), line
    assert facet in reader.locator("#compare-table-caption").locator("xpath=..").inner_text()


def test_open_a_categorys_ranking(reader, demo_site):
    from playwright.sync_api import expect

    reader.goto(demo_site.url("/classements/"))
    link = reader.locator("main h2 a").first
    category = link.inner_text()
    link.click()
    reader.wait_for_url(re.compile(r"/classements/[\w-]+/$"))
    expect(reader.locator("h1")).to_contain_text(category)
    rows = reader.locator("main table tbody tr")
    assert rows.count() >= 1
    ranks = [int(r.split()[0]) for r in rows.locator("td:first-child").all_inner_texts()]
    assert ranks == sorted(ranks) and ranks[0] == 1


def _contrast(rgb_a, rgb_b):
    def luminance(rgb):
        channels = []
        for value in rgb:
            c = value / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rgb(css):
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


def test_the_keyboard_focus_ring_contrasts_three_to_one(reader, demo_site):
    reader.goto(demo_site.url("/outils/"))
    seen = 0
    for _ in range(12):
        reader.keyboard.press("Tab")
        style = reader.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
              let bg = 'rgba(0, 0, 0, 0)', n = e.parentElement;
              while (n && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) { bg = getComputedStyle(n).backgroundColor; n = n.parentElement; }
              return {tag: e.tagName, width: s.outlineWidth, style: s.outlineStyle, colour: s.outlineColor, background: bg}; }"""
        )
        if style["tag"] == "BODY":
            continue
        seen += 1
        assert style["style"] != "none" and float(style["width"].rstrip("px")) >= 2, style
        assert _contrast(_rgb(style["colour"]), _rgb(style["background"])) >= 3, style
    assert seen >= 5


def test_the_product_charts_are_drawn_and_fit_a_phone(browser, demo_site):
    phone = new_page(browser, width=390, height=844)
    phone.goto(demo_site.url(demo_site.pages["reader"]["product, ranked"]))
    phone.wait_for_function("() => document.querySelectorAll('.js-chart .main-svg').length > 0")
    problems = phone.evaluate(
        """() => Array.from(document.querySelectorAll('.js-chart')).flatMap(chart => {
          const box = chart.getBoundingClientRect();
          return Array.from(chart.querySelectorAll('.xtick text, .ytick text, .legendtext')).filter(t => {
            const r = t.getBoundingClientRect();
            return r.left < box.left - 1 || r.right > box.right + 1;
          }).map(t => chart.id + ': ' + t.textContent);
        })"""
    )
    assert problems == []
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    phone.context.close()


def test_switch_to_english_on_a_product_page_and_land_on_the_same_product(reader, demo_site):
    from playwright.sync_api import expect

    path = demo_site.pages["reader"]["product, ranked"]
    reader.goto(demo_site.url(path + "?avis=1"))
    name = reader.locator("h1").inner_text()
    expect(reader.locator("html")).to_have_attribute("lang", "fr")
    reader.locator(".lang-switch a[hreflang=en]").click()
    reader.wait_for_url(demo_site.url("/en" + path + "?avis=1"))
    expect(reader.locator("html")).to_have_attribute("lang", "en")
    expect(reader.locator("h1")).to_have_text(name)
    expect(reader.locator("#score-heading")).to_have_text("Global score")
    # Its category and facets are named in English too (the catalogue's translated names).
    expect(reader.locator("main")).to_contain_text("Ease of use")
    # And back: the French page, at the root.
    reader.locator(".lang-switch a[hreflang=fr]").click()
    reader.wait_for_url(demo_site.url(path + "?avis=1"))
    expect(reader.locator("#score-heading")).to_have_text("Note globale")


def test_choose_a_profile_on_a_product_page_and_read_its_scores(reader, demo_site):
    reader.goto(demo_site.url(demo_site.pages["reader"]["product, ranked"]))
    section = reader.locator("#like-me")
    options = section.locator("select[name=profil] option")
    assert options.count() > 20  # practice groups, settings and regions
    reader.select_option("#id_profil", "practice_group:gp")
    section.locator("button[type=submit]").click()
    reader.wait_for_url(re.compile(r"profil=practice_group%3Agp"))
    result = reader.locator("#like-me-result").inner_text()
    # Either the GPs' score with its interval and n, or the reason there is none (fewer than 5).
    assert re.search(r"\d,\d\d / 5 \(intervalle à 95\s%\s\d,\d\d–\d,\d\d, \d+ médecins\)", result) or (
        "moins de 5" in result
    ), result
    assert reader.locator("#id_profil").input_value() == "practice_group:gp"  # the choice stays shown
