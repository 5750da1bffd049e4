"""The PDF engine prints A4 pages with page numbers, embedded fonts, extractable text and vector charts."""

import io
import re
import shutil
import subprocess
from contextvars import ContextVar

import plotly.graph_objects as go
import pytest
from pypdf import PdfReader

from cms.reports.pdf import (
    CHROMIUM_OVERRIDE,
    ChartsNotRendered,
    ChromiumMissing,
    find_chromium,
    pdf_renderer,
    plotly_js_url,
    render_pdf,
)

pytestmark = pytest.mark.browser

A4_POINTS = (595.3, 841.9)
# A colour no default style uses, to find the chart's bars in the page's drawing operators.
BAR_COLOUR = "#123456"
FRENCH = "Les médecins généralistes jugent l'ergonomie « très bonne » : déjà 42 réponses, été compris."


def chart_html(chart_id="facets", script_src=None):
    figure = go.Figure(go.Bar(x=["Ergonomie", "Fiabilité", "Support"], y=[4.1, 3.2, 2.7]))
    figure.update_traces(marker_color=BAR_COLOUR)
    figure.update_layout(width=600, height=320)
    chart = figure.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id)
    return f'<script src="{script_src or plotly_js_url()}"></script>{chart}'


def document(body, *, head=""):
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Essai</title>'
        f"{head}</head><body>{body}</body></html>"
    )


REPORT = document(
    "<h1>Rapport de l'éditeur</h1>"
    f"<p>{FRENCH}</p>"
    "<table><thead><tr><th>Facette</th><th>Score</th></tr></thead>"
    "<tbody><tr><td>Ergonomie</td><td>4,1</td></tr><tr><td>Support</td><td>2,7</td></tr></tbody></table>"
    + chart_html()
    + '<p style="break-before: page">Deuxième page : méthode.</p>'
)


@pytest.fixture(scope="module")
def render():
    try:
        find_chromium()
    except ChromiumMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    with pdf_renderer() as render:
        yield render


@pytest.fixture
def no_enclosing_renderer(monkeypatch):
    """Hide the module's renderer from render_pdf(), which would otherwise print on it."""
    from cms.reports import pdf

    monkeypatch.setattr(pdf, "_current_renderer", ContextVar("no_renderer", default=None))


@pytest.fixture(scope="module")
def report_pdf(render):
    return render(REPORT, title="Rapport Éditeur")


@pytest.fixture(scope="module")
def reader(report_pdf):
    return PdfReader(io.BytesIO(report_pdf))


def test_pages_are_a4(reader):
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=2)


def test_the_footer_numbers_the_pages_and_names_the_report(reader):
    first, second = (page.extract_text() for page in reader.pages)
    assert "page 1 / 2" in first and "page 2 / 2" in second
    assert "Rapport Éditeur" in first
    assert reader.metadata.title == "Rapport Éditeur"


def test_french_text_and_the_table_are_extractable(reader):
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Rapport de l'éditeur" in text
    assert FRENCH in text
    assert "Ergonomie 4,1" in text
    # The chart's labels are text too, not pixels.
    assert "Fiabilité" in text
    assert "Deuxième page : méthode." in reader.pages[1].extract_text()


def fonts(page):
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            yield font["/BaseFont"], descendant.get_object().get("/FontDescriptor")


def test_every_font_is_embedded_and_the_text_is_in_dejavu_sans(reader):
    names = set()
    for page in reader.pages:
        for name, descriptor in fonts(page):
            names.add(name.split("+")[-1])
            assert descriptor is not None, f"{name} has no font descriptor (a Type 3 font?)"
            files = {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object())
            assert files, f"{name} is not embedded"
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= names


def test_the_chart_is_drawn_as_vector_paths_not_an_image(reader):
    page = reader.pages[0]
    assert "/XObject" not in page["/Resources"] or not any(
        xobject.get_object()["/Subtype"] == "/Image" for xobject in page["/Resources"]["/XObject"].values()
    )
    content = page.get_contents().get_data().decode("latin-1")
    red, green, blue = (int(BAR_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5))
    # The stream alternates: a fill colour ("r g b rg"), then what is drawn in it until the next one.
    pieces = re.split(r"([\d.]+ [\d.]+ [\d.]+) rg\n", content)
    bars = [
        drawing
        for colour, drawing in zip(pieces[1::2], pieces[2::2], strict=True)
        if [float(value) for value in colour.split()] == pytest.approx([red, green, blue], abs=0.01)
    ]
    # Three bars, each a path filled in the bar's colour (rectangles or moveto/lineto outlines).
    paths = sum(len(re.findall(r"\b(?:re|m)\n", drawing)) for drawing in bars)
    assert bars and paths >= 3
    assert any(re.search(r"\bf\*?\n", drawing) for drawing in bars)


def test_a_page_rendered_in_grey_shows_the_text_and_the_bars(report_pdf, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm is missing: `make browser-deps` installs poppler-utils.", pytrace=False)
    (tmp_path / "report.pdf").write_bytes(report_pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            "30",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "report.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    (image,) = tmp_path.glob("p*.pgm")
    width, height, pixels = read_pgm(image.read_bytes())
    assert (width, height) == pytest.approx((248, 351), abs=2)
    # The bars are solid dark grey; a page of text alone has far fewer dark pixels.
    dark = sum(1 for value in pixels if value < 128) / len(pixels)
    assert dark > 0.03


def read_pgm(data):
    magic, width, height, maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return int(width), int(height), pixels[: int(width) * int(height)]


def test_a_chart_that_never_renders_is_a_clear_error_and_nothing_is_downloaded(render):
    # A CDN's plotly is blocked (the documents load files on disk only), so the chart is never drawn.
    broken = document(chart_html("never", script_src="https://cdn.plot.ly/plotly-2.35.2.min.js"))
    with pytest.raises(
        ChartsNotRendered, match=r"1 chart\(s\) not drawn after 1 s: never\. plotly\.js did not load"
    ):
        render(broken, timeout=1)
    # The renderer goes on with the next document.
    assert render(document("<p>Après l'erreur.</p>")).startswith(b"%PDF-")


def test_relative_urls_resolve_against_base_url(render, tmp_path):
    (tmp_path / "report.css").write_text("p { color: #123456; }")
    pdf = render(
        document("<p>Coloré</p>", head='<link rel="stylesheet" href="report.css">'),
        base_url=tmp_path.as_uri() + "/",
    )
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    assert re.search(r"\.0706 \.2039 \.3373 rg", content)


def test_render_pdf_launches_its_own_browser(no_enclosing_renderer):
    pdf = render_pdf(document("<p>Un seul document.</p>"), title="Seul")
    assert "Un seul document." in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@pytest.mark.django_db
def test_the_database_can_be_read_between_two_documents(render):
    from accounts.models import User

    render(document("<p>Un</p>"))
    # Playwright's event loop lives in the renderer's own thread: Django does not refuse this query.
    assert User.objects.count() >= 0
    render(document("<p>Deux</p>"))


def test_a_missing_chromium_says_how_to_install_it(no_enclosing_renderer, monkeypatch, tmp_path):
    monkeypatch.setenv(CHROMIUM_OVERRIDE, str(tmp_path / "nothing"))
    with pytest.raises(ChromiumMissing, match="not an executable"):
        render_pdf(document("<p>x</p>"))
    with pytest.raises(ChromiumMissing, match="make browser-deps"):
        find_chromium({"PATH": str(tmp_path)})


def test_a_document_without_a_head_keeps_its_doctype_and_standards_mode(render):
    pdf = render("<!DOCTYPE html><p>Mode <script>document.write(document.compatMode)</script></p>")
    assert "Mode CSS1Compat" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_render_pdf_within_a_renderer_block_uses_its_browser(no_enclosing_renderer, monkeypatch):
    from cms.reports import pdf

    launches = []
    printer = pdf._Printer

    def counted():
        launches.append(1)
        return printer()

    monkeypatch.setattr(pdf, "_Printer", counted)
    with pdf_renderer():
        for word in ("Un", "Deux", "Trois"):
            assert (
                word in PdfReader(io.BytesIO(render_pdf(document(f"<p>{word}</p>")))).pages[0].extract_text()
            )
    assert len(launches) == 1
    render_pdf(document("<p>Hors du bloc</p>"))
    assert len(launches) == 2
