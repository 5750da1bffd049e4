"""Fixtures shared by every test package."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with an empty cache: rate-limit counters live there."""
    cache.clear()
    yield
    cache.clear()
