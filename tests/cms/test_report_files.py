"""Every figure of a report, computed from the read API, is found in its HTML, its XLSX and its CSV."""

import csv
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from django.utils.formats import number_format

from analytics import published
from cms.reports import build_vendor_report, render_report_files, render_report_html, report_tables
from cms.reports.html import plotly_source
from tests.cms.test_report_content import SMALL_FACET, build_world

pytestmark = pytest.mark.django_db

SCORE_COLUMNS = ("global_score", "doctor_score", "score", "category_median", "difference")


def fr(value, decimals=2):
    with translation.override("fr"):
        return number_format(round(value, decimals), decimal_pos=decimals)


def text(node):
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def files(world):
    return render_report_files(world["vendor"], world["campaign"], ["xlsx", "csv"])


def read_api_figures(world):
    """Return the figures of the big product, computed from analytics.published only."""
    snapshot = published.snapshot_for_campaign(world["campaign"])
    product = world["big"]
    score = published.product_score(snapshot, product)
    change = published.score_change(snapshot, published.score_history(product))
    facets = published.facet_scores(snapshot, [product.pk])[product.pk]
    return {
        "vendor": published.vendor_score(snapshot, world["vendor"]),
        "score": score,
        "change": change,
        "facets": [f for f in facets if f.is_shown],
        "benchmarks": published.category_benchmarks(snapshot, product.category),
        "distributions": published.distributions(snapshot, product),
    }


def test_the_html_shows_every_figure_of_the_read_api(world):
    with translation.override("fr"):
        report = build_vendor_report(world["vendor"], world["campaign"])
        html = render_report_html(report)
    page = BeautifulSoup(html, "html.parser")
    figures = read_api_figures(world)
    whole = text(page)
    v = figures["vendor"]
    assert f"{fr(v.doctor_score)} / 5" in whole
    assert f"{fr(v.doctor_ci_low)} – {fr(v.doctor_ci_high)}" in whole
    s, change = figures["score"], figures["change"]
    row = text(page.select("table.summary tbody tr")[0])
    for expected in (
        fr(s.global_score),
        f"{fr(s.global_ci_low)} – {fr(s.global_ci_high)}",
        fr(s.doctor_score),
        f"{fr(s.doctor_ci_low)} – {fr(s.doctor_ci_high)}",
        str(s.n_respondents),
        fr(s.n_effective, 1),
        f"{s.rank} / 4",
        f"{fr(s.rank_low, 0)} – {fr(s.rank_high, 0)}",
        f"+{fr(change.difference)}",
        f"+{fr(change.low)} – +{fr(change.high)}",
    ):
        assert expected in row, expected
    section = text(page.find(id=f"p-{world['big'].slug}").parent)
    assert f"{fr(s.recommend_pct, 1)} %" in section
    assert f"{fr(s.recommend_ci_low, 1)} – {fr(s.recommend_ci_high, 1)} %" in section
    assert fr(s.net_recommendation, 1) in section
    facet_rows = {
        text(tr.find("td")): text(tr)
        for tr in page.find(id=f"p-{world['big'].slug}").parent.select("table")[0].select("tbody tr")
    }
    names = {f.facet: f.facet_name for f in report.products[0].facets}
    for cell in figures["facets"]:
        row = facet_rows[names[cell.facet]]
        bench = figures["benchmarks"][cell.facet]
        for expected in (str(cell.n), fr(cell.score), f"{fr(cell.ci_low)} – {fr(cell.ci_high)}", fr(bench.q1),
                         fr(bench.median), fr(bench.q3)):  # fmt: skip
            assert expected in row, (cell.facet, expected)
    for facet, bands in figures["distributions"].items():
        for band in bands:
            assert f"{fr(100 * band.share, 1)} %" in section, (facet, band)
    assert report.identifier in whole and report.sha256 in whole
    # The chart is drawn from the same figures, against the category's quartiles.
    assert page.find(id=f"chart-facets-{world['big'].slug}") is not None


def test_the_html_is_a_standalone_a4_document_loading_plotly_from_the_given_base(world):
    report = build_vendor_report(world["vendor"], world["campaign"])
    served = render_report_html(report, static_base_url="http://testserver/static/")
    assert '<script src="http://testserver/static/plotly/plotly-basic.min.js">' in served
    assert "@page { size: A4" in served and served.lstrip().startswith("{") is False
    local = render_report_html(report)
    assert f'<script src="{plotly_source()}">' in local and plotly_source().startswith("file://")
    assert "include_plotlyjs" not in local and len(local) < 300_000


def test_a_group_under_the_minimum_gives_no_figure_in_the_html(world):
    with translation.override("fr"):
        html = render_report_html(build_vendor_report(world["vendor"], world["campaign"]))
    page = BeautifulSoup(html, "html.parser")
    small_row = page.select("table.summary tbody tr")[1]
    assert world["small"].name in text(small_row)
    assert [set(text(td).split()) for td in small_row.select("td.num")] == [{"—"}] * 5
    small = page.find(id=f"p-{world['small'].slug}").parent
    for row in small.select("table")[0].select("tbody tr"):
        cells = [text(td) for td in row.select("td")]
        assert cells[1:4] + cells[7:] == ["—"] * 5
    assert "Share answering 9 or 10 : — (" in text(small) or "9 ou 10 : — (" in text(small)
    assert not small.select("figure")
    big_rows = page.find(id=f"p-{world['big'].slug}").parent.select("table")[0].select("tbody tr")
    cells = [text(td) for td in big_rows[-1].select("td")]
    assert cells[1:4] == ["—", "—", "—"]


def xlsx_sheets(files, world):
    book = openpyxl.load_workbook(io.BytesIO(files[f"{world['vendor'].slug}.xlsx"]))
    with translation.override("fr"):
        tables = report_tables(build_vendor_report(world["vendor"], world["campaign"]))
    return book, {t.name: (book[t.title[:31]], t) for t in tables}


def column(sheet, table, key):
    index = [c.key for c in table.columns].index(key)
    return [row[index] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_xlsx_holds_every_figure_with_frozen_headers_and_number_formats(world, files):
    book, sheets = xlsx_sheets(files, world)
    assert [ws.title for ws in book.worksheets][-1] == "Méthode"
    figures = read_api_figures(world)
    s, change = figures["score"], figures["change"]
    sheet, table = sheets["summary"]
    assert sheet.freeze_panes == "A2"
    expected = {
        "global_score": s.global_score, "global_score_ci_low": s.global_ci_low,
        "global_score_ci_high": s.global_ci_high, "doctor_score": s.doctor_score,
        "doctor_score_ci_low": s.doctor_ci_low, "doctor_score_ci_high": s.doctor_ci_high,
        "n_respondents": s.n_respondents, "n_effective": s.n_effective, "rank": s.rank,
        "rank_low": s.rank_low, "rank_high": s.rank_high, "change": change.difference,
        "change_ci_low": change.low, "change_ci_high": change.high,
        "recommend_pct": s.recommend_pct / 100, "recommend_pct_ci_low": s.recommend_ci_low / 100,
        "recommend_pct_ci_high": s.recommend_ci_high / 100, "net_recommendation": s.net_recommendation,
    }  # fmt: skip
    for key, value in expected.items():
        assert column(sheet, table, key)[0] == pytest.approx(value), key
    formats = {c.key: sheet.cell(row=2, column=i + 1).number_format for i, c in enumerate(table.columns)}
    assert formats["global_score"] == "0.00" and formats["n_respondents"] == "0"
    assert formats["recommend_pct"] == "0.0%"
    sheet, table = sheets["facets"]
    rows = [
        dict(zip([c.key for c in table.columns], r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    by_facet = {r["facet"]: r for r in rows if r["product"] == world["big"].slug}
    for cell in figures["facets"]:
        row, bench = by_facet[cell.facet], figures["benchmarks"][cell.facet]
        assert (row["n"], row["score"], row["score_ci_low"], row["score_ci_high"]) == pytest.approx(
            (cell.n, cell.score, cell.ci_low, cell.ci_high)
        )
        assert (row["category_q1"], row["category_median"], row["category_q3"]) == pytest.approx(
            (bench.q1, bench.median, bench.q3)
        )
    sheet, table = sheets["distributions"]
    shares = {
        (r[1], r[3], r[4]): r[5]
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[0] == world["big"].slug
    }
    for facet, bands in figures["distributions"].items():
        for band in bands:
            assert shares[(facet, band.level_low, band.level_high)] == pytest.approx(band.share)
    method = [row for row in book["Méthode"].iter_rows(values_only=True)]
    values = [r[1] for r in method[1:]]
    report = build_vendor_report(world["vendor"], world["campaign"])
    assert report.identifier in values and report.sha256 in values


def test_a_group_under_the_minimum_gives_no_figure_in_the_xlsx_or_the_csv(world, files):
    _, sheets = xlsx_sheets(files, world)
    sheet, table = sheets["summary"]
    rows = [
        dict(zip([c.key for c in table.columns], r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    small = next(r for r in rows if r["product"] == world["small"].slug)
    figures = {
        k: v
        for k, v in small.items()
        if k not in ("product", "product_name", "category", "status", "status_label")
    }
    assert set(figures.values()) == {None}
    sheet, table = sheets["facets"]
    rows = [
        dict(zip([c.key for c in table.columns], r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    thin = [r for r in rows if r["product"] == world["small"].slug or r["facet"] == SMALL_FACET]
    assert thin and all(r["n"] is None and r["score"] is None and r["difference"] is None for r in thin)
    summary = list(csv.DictReader(io.StringIO(files["agendoc/summary.csv"].decode("utf-8"))))
    small = next(r for r in summary if r["product"] == world["small"].slug)
    assert {
        v
        for k, v in small.items()
        if k not in ("product", "product_name", "category", "status", "status_label")
    } == {""}
    distributions = list(csv.DictReader(io.StringIO(files["agendoc/distributions.csv"].decode("utf-8"))))
    assert not [r for r in distributions if r["product"] == world["small"].slug or r["facet"] == SMALL_FACET]


def test_the_csv_are_the_tables_in_utf8_with_dot_decimals(world, files):
    with translation.override("fr"):
        tables = report_tables(build_vendor_report(world["vendor"], world["campaign"]))
    assert sorted(name for name in files if name.endswith(".csv")) == sorted(
        f"agendoc/{t.name}.csv" for t in tables
    )
    summary = list(csv.DictReader(io.StringIO(files["agendoc/summary.csv"].decode("utf-8"))))
    s = read_api_figures(world)["score"]
    big = next(r for r in summary if r["product"] == world["big"].slug)
    assert big["global_score"] == f"{s.global_score:.6f}" and "," not in big["global_score"]
    assert big["change_significant"] == "true"
    comments = files["agendoc/comments.csv"].decode("utf-8")
    assert "Support lent en été." in comments


def test_unknown_formats_are_refused(world):
    with pytest.raises(ValueError):
        render_report_files(world["vendor"], world["campaign"], ["docx"])
