"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, and the served demo site."""

from contextlib import contextmanager

import pytest

from tests.browser.chromium import CHROMIUM_ARGS, ChromiumMissing, find_chromium
from tests.browser.site import DemoSite


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """`seed_demo`'s site, served on loopback for the whole session (read-only for the tests)."""
    site = DemoSite(tmp_path_factory.mktemp("demo-site")).start()
    yield site
    site.stop()


@contextmanager
def chromium_browser():
    """Debian's Chromium, headless, driven by Playwright's sync API (a test fails if it is missing)."""
    try:
        chromium = find_chromium()
    except ChromiumMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (its tests make their own contexts)."""
    with chromium_browser() as launched:
        yield launched


def new_page(browser, *, width=1280, height=900, locale="fr-FR", storage_state=None):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale=locale, storage_state=storage_state
    )
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def reader(browser):
    """A page of a new reader's browser, 1280 px wide."""
    page = new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def live_page(monkeypatch):
    """A page of a new French browser for tests against pytest-django's `live_server` (they call the ORM)."""
    from django.db import connections

    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from one unless
    # told. Set for this test only: left in os.environ, it would leak into other tests' subprocesses
    # (`check --deploy` rejects it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_browser() as launched:
        context = launched.new_context(locale="fr-FR")
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        # Playwright's sync API switches contexts (greenlets) and Django keeps a connection per context:
        # close those opened here, or PostgreSQL refuses to drop the test database at the end of the run.
        connections.close_all()
