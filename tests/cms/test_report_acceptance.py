"""The demo's largest vendor report: every figure, computed here from the read API, is in its HTML, XLSX and PDF.

The figures are formatted by this test (French number format, as the reports are in French) from
`analytics.published` alone, then looked for in the text a reader sees: the HTML's text, the cells of
the XLSX read back with openpyxl, and the text pypdf extracts from the PDF Chromium printed.
"""

import io
import re
import unicodedata
from collections import Counter

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import number_format
from pypdf import PdfReader

from analytics import published
from cms.reports import build_vendor_report, render_report_files, render_report_html, report_tables
from ratings.models import Facet, Product
from tests.cms.test_report_content import SMALL_FACET, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.browser]


def fr(value, decimals=2):
    with translation.override("fr"):
        return number_format(round(float(value), decimals) + 0.0, decimal_pos=decimals)


def signed(value, decimals=2):
    text = fr(value, decimals)
    return text if text.startswith("-") else f"+{text}"


def flat(text):
    """The text as a reader searches it: ligatures undone (NFKC), every run of blanks one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def between(text, start, ends):
    """Return the part of `text` from `start` to the first of `ends` after it (or the end)."""
    begin = text.index(start)
    stops = [text.find(end, begin + len(start)) for end in ends]
    stops = [s for s in stops if s != -1]
    return text[begin : min(stops) if stops else len(text)]


def largest_demo_vendor():
    products = Product.objects.listed().select_related("vendor", "category")
    snapshot = published.current_snapshot()
    scored = published.product_scores(snapshot, products)
    counts = Counter(p.vendor for p in products if p.pk in scored)
    return max(counts, key=lambda v: (counts[v], v.slug)), snapshot


def expected_figures(vendor, snapshot):
    """Per product, the figures of the read API the report must carry, as numbers and as French text."""
    products = list(
        Product.objects.listed().filter(vendor=vendor).select_related("category").order_by("name")
    )
    every = published.product_scores(snapshot, Product.objects.listed())
    facet_names = dict(Facet.objects.values_list("slug", "name"))
    facets = published.facet_scores(snapshot, [p.pk for p in products])
    result = []
    for product in products:
        score = every.get(product.pk)
        if score is None:
            continue
        n_ranked = sum(
            1
            for p in Product.objects.listed().filter(category=product.category)
            if p.pk in every and every[p.pk].is_ranked
        )
        change = published.score_change(snapshot, published.score_history(product))
        benchmarks = published.category_benchmarks(snapshot, product.category)
        result.append(
            {
                "product": product,
                "score": score,
                "n_ranked": n_ranked,
                "change": change,
                "facets": [(facet_names[f.facet], f, benchmarks.get(f.facet)) for f in facets[product.pk]],
                "distributions": {
                    facet_names[facet]: bands
                    for facet, bands in published.distributions(snapshot, product).items()
                },
            }
        )
    return result


def summary_texts(item):
    """The first page's cells of one product, in the order the table shows them."""
    s, change = item["score"], item["change"]
    texts = [
        fr(s.global_score),
        f"{fr(s.global_ci_low)} – {fr(s.global_ci_high)}",
        fr(s.doctor_score),
        f"{fr(s.doctor_ci_low)} – {fr(s.doctor_ci_high)}",
        str(s.n_respondents),
        fr(s.n_effective, 1),
    ]
    if s.rank is not None:
        texts += [f"{s.rank} / {item['n_ranked']}", f"{fr(s.rank_low, 0)} – {fr(s.rank_high, 0)}"]
    if change is not None:
        texts += [signed(change.difference), f"{signed(change.low)} – {signed(change.high)}"]
        texts.append("significative" if change.significant else "non significative")
    return texts


def facet_row_texts(item):
    """One line per shown facet: name, n, score, interval, then the category's quartiles."""
    rows = []
    for name, cell, bench in item["facets"]:
        if not cell.is_shown:
            continue
        row = f"{name} {cell.n} {fr(cell.score)} {fr(cell.ci_low)} – {fr(cell.ci_high)}"
        if bench is not None:
            row += f" {fr(bench.q1)} {fr(bench.median)} {fr(bench.q3)}"
        rows.append(row)
    return rows


def band_texts(item):
    texts = []
    for bands in item["distributions"].values():
        for band in bands:
            level = (
                str(band.level_low)
                if band.level_low == band.level_high
                else f"{band.level_low}–{band.level_high}"
            )
            texts.append(f"{level} : {fr(100 * band.share, 1)} %")
    return texts


def recommendation_texts(item):
    s = item["score"]
    if s.recommend_pct is None:
        return []
    return [
        f"{fr(s.recommend_pct, 1)} %",
        f"{fr(s.recommend_ci_low, 1)} – {fr(s.recommend_ci_high, 1)} %",
        f"recommandation nette : {fr(s.net_recommendation, 1)}",
    ]


def assert_document_carries(text, vendor_figures, items, report):
    """`text` (flattened) holds every figure; each product's figures are found in its own section."""
    v = vendor_figures
    assert (
        f"{fr(v.doctor_score)} / 5 · Intervalle à 95 % {fr(v.doctor_ci_low)} – {fr(v.doctor_ci_high)}" in text
    )
    assert f"{v.n_respondents} répondants" in text
    first_page = between(text, "Synthèse", ["Facettes face à la catégorie"])
    names = [item["product"].name for item in items]
    headings = [f"{item['product'].name} · {item['product'].category.name}" for item in items]
    for item in items:
        row = between(
            first_page, item["product"].name, [n for n in names if n != item["product"].name] + ["— :"]
        )
        position = 0
        for expected in summary_texts(item):
            found = row.find(expected, position)
            assert found != -1, (item["product"].slug, expected, row)
            position = found + len(expected)
        section = between(text, headings[names.index(item["product"].name)], headings + ["Méthode"])
        for expected in facet_row_texts(item) + band_texts(item) + recommendation_texts(item):
            assert expected in section, (item["product"].slug, expected)
    assert report.identifier in text
    assert report.sha256 in text.replace(" ", "")


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "report-admin-password")
    call_command("seed_demo", stdout=io.StringIO())
    vendor, snapshot = largest_demo_vendor()
    campaign = snapshot.campaign
    with translation.override("fr"):
        report = build_vendor_report(vendor, campaign)
    return {
        "vendor": vendor,
        "campaign": campaign,
        "report": report,
        "figures": published.vendor_score(snapshot, vendor),
        "items": expected_figures(vendor, snapshot),
    }


def test_every_figure_of_the_largest_demo_vendor_is_in_the_html_the_xlsx_and_the_pdf(demo):
    vendor, items, report = demo["vendor"], demo["items"], demo["report"]
    assert len(items) >= 3, "the demo's largest vendor has several scored products"
    files = render_report_files(vendor, demo["campaign"], ["pdf", "xlsx"])

    # HTML: the text a reader sees.
    with translation.override("fr"):
        html = render_report_html(report)
    assert_document_carries(
        flat(BeautifulSoup(html, "html.parser").get_text(" ")), demo["figures"], items, report
    )

    # PDF: the text pypdf extracts, page after page.
    pdf = PdfReader(io.BytesIO(files[f"{vendor.slug}.pdf"]))
    text = flat(" ".join(page.extract_text() for page in pdf.pages))
    assert_document_carries(text, demo["figures"], items, report)
    assert re.search(rf"page 1 / {len(pdf.pages)}\b", text)

    # XLSX: the numbers in their cells, intervals in columns of their own.
    book = openpyxl.load_workbook(io.BytesIO(files[f"{vendor.slug}.xlsx"]))
    with translation.override("fr"):
        tables = {t.name: t for t in report_tables(report)}

    def rows(name):
        table = tables[name]
        keys = [c.key for c in table.columns]
        return [
            dict(zip(keys, r, strict=True))
            for r in book[table.title[:31]].iter_rows(min_row=2, values_only=True)
        ]

    summary = {r["product"]: r for r in rows("summary")}
    facet_rows = {(r["product"], r["facet"]): r for r in rows("facets")}
    shares = {
        (r["product"], r["facet"], r["level_low"], r["level_high"]): r["share"] for r in rows("distributions")
    }
    for item in items:
        slug, s, change = item["product"].slug, item["score"], item["change"]
        row = summary[slug]
        expected = {
            "global_score": s.global_score, "global_score_ci_low": s.global_ci_low,
            "global_score_ci_high": s.global_ci_high, "doctor_score": s.doctor_score,
            "doctor_score_ci_low": s.doctor_ci_low, "doctor_score_ci_high": s.doctor_ci_high,
            "n_respondents": s.n_respondents, "n_effective": s.n_effective, "rank": s.rank,
            "rank_low": s.rank_low, "rank_high": s.rank_high, "net_recommendation": s.net_recommendation,
        }  # fmt: skip
        if change is not None:
            expected |= {
                "change": change.difference,
                "change_ci_low": change.low,
                "change_ci_high": change.high,
            }
        for key, value in expected.items():
            assert row[key] == pytest.approx(value), (slug, key)
        for _name, cell, bench in item["facets"]:
            if cell.is_shown:
                got = facet_rows[slug, cell.facet]
                assert (got["n"], got["score"], got["score_ci_low"], got["score_ci_high"]) == pytest.approx(
                    (cell.n, cell.score, cell.ci_low, cell.ci_high)
                )
                if bench is not None:
                    assert (got["category_q1"], got["category_median"], got["category_q3"]) == pytest.approx(
                        (bench.q1, bench.median, bench.q3)
                    )
        for facet, bands in published.distributions(published.current_snapshot(), item["product"]).items():
            for band in bands:
                assert shares[slug, facet, band.level_low, band.level_high] == pytest.approx(band.share)
    method = [value for row in book[book.sheetnames[-1]].iter_rows(values_only=True) for value in row]
    assert report.identifier in method and report.sha256 in method


def test_a_group_under_five_gives_no_figure_in_the_pdf():
    world = build_world()
    files = render_report_files(world["vendor"], world["campaign"], ["pdf"])
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(files["agendoc.pdf"])).pages))
    small = world["small"]
    # Three respondents: the first page's row and the product's own section carry no figure at all.
    first_page = between(text, "Synthèse", ["Facettes face à la catégorie"])
    row = between(first_page, small.name, ["— :"])
    assert not re.search(r"\d", row.replace(small.name, "")), row
    section = between(text, f"{small.name} · ", ["Méthode"])
    header, _, rest = section.partition("Facettes face à la catégorie")
    assert not re.search(r"\d", header.replace(small.name, "").replace("n eff", "")), header
    # Its facet rows: no n, score or interval, no difference; only the category's quartiles (other products).
    table = between(rest, "Facette", ["Ce que les médecins ont répondu"])
    names = list(Facet.objects.values_list("name", flat=True))
    for name in names:
        assert re.search(rf"{re.escape(name)} — — — (\d,\d\d ){{3}}— —", table), (name, table)
    assert "Part répondant 9 ou 10 : — (" in section
    # The facet three doctors answered on the large product: no n, score nor interval.
    big = between(text, f"{world['big'].name} · ", [f"{small.name} · "])
    facet_name = Facet.objects.get(slug=SMALL_FACET).name
    assert re.search(rf"{re.escape(facet_name)} — — — ", big), big
