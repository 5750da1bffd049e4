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
    """Run the transactional tests last: the backup drill, then the browser and PostgreSQL-race tests.

    They need real commits (transaction=True), and the database flush after such a test also empties
    the rows that data migrations created (facets, Wagtail's root page); transactional tests that rely on
    those rows (marked flushes_database) run first among them.
    """

    def rank(item):
        if item.get_closest_marker("browser") or item.get_closest_marker("postgres"):
            return 2
        return 1 if item.get_closest_marker("flushes_database") else 0  # needs those rows, then flushes

    items.sort(key=rank)
