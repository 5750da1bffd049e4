"""Fixtures shared by every test package."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with empty caches: rate-limit counters live there, and snapshot figures are keyed by
    primary keys that a rolled-back test database hands out again."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Start each test in the site's language: a request to /en/ leaves English active in its thread, which
    would change both what `reverse` returns and which column a translated name is written to."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser and PostgreSQL-race tests last, and the backup drill after them.

    They need real commits (transaction=True), and the database flush after such a test also empties
    the rows that data migrations created (facets, Wagtail's root page); the tests that rely on those
    rows run before the first flush. The drill (marked flushes_database) flushes in the middle of its
    run and makes the rows it needs itself, so it goes very last.
    """

    def commits(item):
        database = item.get_closest_marker("django_db")
        return (database is not None and database.kwargs.get("transaction")) or bool(
            {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        )

    def rank(item):
        if item.get_closest_marker("flushes_database"):
            return 3
        return (
            2
            if item.get_closest_marker("browser") or item.get_closest_marker("postgres") or commits(item)
            else 0
        )

    items.sort(key=rank)
