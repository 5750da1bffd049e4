"""Print an HTML report to PDF with Debian's headless Chromium (Playwright), never a downloaded browser.

Why Chromium rather than WeasyPrint: the report's charts are plotly figures, and Chromium draws them
exactly as the web pages do, as SVG that its printer keeps as vector paths; WeasyPrint runs no
JavaScript, so each chart would need a second, static renderer kept in step with the first.

The PDF is A4 with "page X / Y" in the footer, the text is real text (extractable), the fonts are
embedded as subsets by Chromium, and the charts are vectors. The default font is DejaVu Sans (Debian's
fonts-dejavu-core, installed by `make browser-deps`): it covers French and the typographic signs the
figures use (–, ≥, ±, narrow no-break space). A document's own `font-family` wins over that default.
"""

import html as html_lib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import urlsplit

from analytics.staticfiles import PLOTLY_FILE

# Debian and Fedora name it chromium; Ubuntu and Alpine, chromium-browser.
CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_OVERRIDE = "CHROMIUM"
# --no-sandbox: the exports run as root in containers, where Chromium's sandbox cannot start. The rest keeps
# the browser off the network: the documents load only files on disk.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

FONT_FAMILY = '"DejaVu Sans", "Liberation Sans", sans-serif'
# A4 margins; the footer with the page numbers sits in the bottom one.
MARGIN_MM = {"top": 15, "right": 15, "bottom": 18, "left": 15}
# The viewport is the printable width at 96 px per inch, so plotly sizes its charts (when the script
# runs, before printing) to the width they get on paper.
VIEWPORT = {"width": round((210 - MARGIN_MM["left"] - MARGIN_MM["right"]) / 25.4 * 96), "height": 1000}
# Seconds a document's charts have to render; a report's few charts take well under one.
CHART_TIMEOUT = 15.0
NAVIGATION_TIMEOUT_MS = 30_000

# :where() has no specificity, so any font-family or colour rule of the document itself wins.
BASE_STYLE = (
    f"<style>:where(html){{font-family:{FONT_FAMILY};"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact}</style>"
)
# Every chart of plotly's to_html() is a .plotly-graph-div before it is drawn; .js-plotly-plot catches
# charts made another way. A chart is drawn once its SVG root exists.
CHARTS_DRAWN = """() => {
  const charts = document.querySelectorAll('.plotly-graph-div, .js-plotly-plot');
  return Array.from(charts).every((chart) => chart.querySelector('.main-svg'));
}"""
CHARTS_NOT_DRAWN = """() => Array.from(document.querySelectorAll('.plotly-graph-div, .js-plotly-plot'))
  .filter((chart) => !chart.querySelector('.main-svg'))
  .map((chart) => chart.id || '(no id)')"""
FOOTER = (
    '<div style="font-family:{font};font-size:8pt;color:#000;width:100%;margin:0 {left}mm 0 {right}mm;'
    'display:flex;justify-content:space-between"><span>{title}</span>'
    '<span>page <span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)


# The render callable of the innermost pdf_renderer() block, for render_pdf().
_current_renderer: ContextVar[Callable[..., bytes] | None] = ContextVar("pdf_renderer", default=None)


class PdfError(RuntimeError):
    """A document could not be printed."""


class ChromiumMissing(PdfError):
    """No Chromium executable was found."""


class ChartsNotRendered(PdfError):
    """Some plotly charts were not drawn in time."""


def find_chromium(environ=None, which=shutil.which) -> str:
    """Return the path of the Chromium executable: $CHROMIUM if set, else the first of CHROMIUM_NAMES on PATH.

    Raise ChromiumMissing saying what was looked for and how to install it.
    """
    environ = os.environ if environ is None else environ
    override = environ.get(CHROMIUM_OVERRIDE, "")
    if override:
        if os.path.isfile(override) and os.access(override, os.X_OK):
            return override
        raise ChromiumMissing(f"${CHROMIUM_OVERRIDE} is {override!r}, which is not an executable file.")
    for name in CHROMIUM_NAMES:
        path = which(name, path=environ.get("PATH"))
        if path:
            return path
    raise ChromiumMissing(
        f"No Chromium found: none of {', '.join(CHROMIUM_NAMES)} is on PATH ({environ.get('PATH', '')}). "
        f"Install Debian's package (`make browser-deps`, or `apt-get install chromium`), set "
        f"${CHROMIUM_OVERRIDE} to its path, or leave the browser tests out with `-m 'not browser'`."
    )


def plotly_js_url() -> str:
    """Return the file:// URL of the plotly.js bundle the site serves (analytics/static/plotly/)."""
    return PLOTLY_FILE.as_uri()


def render_pdf(
    html: str, *, base_url: str | None = None, title: str = "", timeout: float = CHART_TIMEOUT
) -> bytes:
    """Return the PDF of one HTML document, on the Chromium of the enclosing pdf_renderer() if any.

    Outside such a block Chromium is launched for this document alone.
    """
    render = _current_renderer.get()
    if render is not None:
        return render(html, base_url=base_url, title=title, timeout=timeout)
    with pdf_renderer() as render:
        return render(html, base_url=base_url, title=title, timeout=timeout)


@contextmanager
def pdf_renderer() -> Iterator[Callable[..., bytes]]:
    """Yield render(html, *, base_url=None, title="", timeout=CHART_TIMEOUT) -> bytes on one Chromium.

    Within the block, render_pdf() uses that Chromium too: a bulk export wraps its loop in the block and
    the code that makes each report calls render_pdf() as usual.

    Playwright's sync API runs an event loop in the thread that drives it, and Django refuses ORM calls
    from such a thread; the browser therefore lives in a worker thread of its own, and the caller may
    query the database between two documents.
    """
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf-chromium")
    try:
        printer = worker.submit(_Printer).result()
        try:

            def render(
                html: str, *, base_url: str | None = None, title: str = "", timeout: float = CHART_TIMEOUT
            ) -> bytes:
                # One worker thread: documents are printed one after the other, whoever asks.
                return worker.submit(
                    printer.print, html, base_url=base_url, title=title, timeout=timeout
                ).result()

            token = _current_renderer.set(render)
            try:
                yield render
            finally:
                _current_renderer.reset(token)
        finally:
            worker.submit(printer.close).result()
    finally:
        worker.shutdown()


class _Printer:
    """One Chromium and one page, driven from the thread that made them.

    The page is reused from one document to the next: its renderer process keeps plotly.js compiled
    (V8's cache), which brings a document's load from about 1.1 s to about 0.2 s.
    """

    def __init__(self):
        from playwright.sync_api import sync_playwright

        executable = find_chromium()
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            self._context = self._browser.new_context(viewport=VIEWPORT, locale="fr-FR")
        except Exception:
            self._playwright.stop()
            raise
        self._context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        self._allowed_origin = None
        self._context.route("**/*", self._offline)
        self._page = None
        self._errors = []

    def close(self):
        try:
            self._browser.close()
        finally:
            self._playwright.stop()

    def print(self, html: str, *, base_url: str | None, title: str, timeout: float) -> bytes:
        self._allowed_origin = _http_origin(base_url)
        self._errors.clear()
        if self._page is None:
            self._page = self._context.new_page()
            self._page.on("pageerror", lambda error: self._errors.append(str(error)))
            self._page.emulate_media(media="print")
        try:
            with tempfile.TemporaryDirectory(prefix="report-pdf-") as folder:
                document = Path(folder) / "report.html"
                document.write_text(_prepare(html, base_url), encoding="utf-8")
                self._page.goto(document.as_uri(), wait_until="load")
                self._wait_for_charts(timeout)
                return self._print(title)
        except BaseException:
            # A page left half-loaded or crashed is not reused.
            page, self._page = self._page, None
            with suppress(Exception):
                page.close()
            raise

    def _wait_for_charts(self, timeout):
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        page = self._page
        try:
            page.wait_for_function(CHARTS_DRAWN, timeout=timeout * 1000, polling=50)
        except PlaywrightTimeout:
            missing = page.evaluate(CHARTS_NOT_DRAWN)
            plotly_loaded = page.evaluate("() => typeof window.Plotly !== 'undefined'")
            raise ChartsNotRendered(
                f"{len(missing)} chart(s) not drawn after {timeout:g} s: {', '.join(missing)}. "
                + ("" if plotly_loaded else "plotly.js did not load (use plotly_js_url()). ")
                + (f"Page errors: {'; '.join(self._errors)}" if self._errors else "No page error.")
            ) from None
        page.evaluate("() => document.fonts.ready.then(() => null)")

    def _print(self, title):
        page = self._page
        if title:
            # Chromium writes the document's title into the PDF's metadata.
            page.evaluate("(title) => { document.title = title; }", title)
        return page.pdf(
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER.format(
                font=FONT_FAMILY.replace('"', "'"),
                left=MARGIN_MM["left"],
                right=MARGIN_MM["right"],
                title=html_lib.escape(title),
            ),
            margin={side: f"{mm}mm" for side, mm in MARGIN_MM.items()},
            tagged=True,
            outline=True,
        )

    def _offline(self, route):
        """Let through files, inline data and base_url's own server; nothing else is fetched."""
        parts = urlsplit(route.request.url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if parts.scheme in ("file", "data", "blob") or origin == self._allowed_origin:
            route.continue_()
        else:
            route.abort("blockedbyclient")


def _prepare(html: str, base_url: str | None) -> str:
    """Return the document with the default style and, when given, a <base> first in its head."""
    head = BASE_STYLE
    if base_url:
        head = f'<base href="{html_lib.escape(base_url, quote=True)}">' + head
    # Into the head when there is one; else after the doctype and <html>, whose place keeps standards mode.
    opening = re.search(r"<head(\s[^>]*)?>", html, flags=re.IGNORECASE) or re.match(
        r"\s*(<!doctype[^>]*>)?\s*(<html(\s[^>]*)?>)?", html, flags=re.IGNORECASE
    )
    return html[: opening.end()] + head + html[opening.end() :]


def _http_origin(url: str | None) -> str | None:
    """Return scheme://host[:port] of an http(s) URL, else None."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None
