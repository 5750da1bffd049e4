"""Fixtures shared by every test package."""

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with empty caches: rate-limit counters live there, and snapshot figures are keyed by
    primary keys that a rolled-back test database hands out again."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser and PostgreSQL-race tests last.

    They need real commits (transaction=True), and the database flush after such a test also empties
    the rows that data migrations created (facets, Wagtail's root page); transactional tests that rely on
    those rows must run before them.
    """
    items.sort(
        key=lambda item: bool(item.get_closest_marker("browser") or item.get_closest_marker("postgres"))
    )
