"""Test runs: fast hashing, in-memory e-mail, tasks run at once."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Each test run writes its open data to a folder of its own (tests that check files set their own).
OPEN_DATA_ROOT = Path(tempfile.mkdtemp(prefix="open-data-tests-"))
# Rate-limit counters live in the cache: keep the local cache from culling them mid-test.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    "snapshot": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "snapshot-figures"},
    "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "renditions"},
}
# The anonymous page cache is dropped after commit, which tests run inside a transaction never reach: it
# is off here and turned on by the tests of it (tests/cms/test_page_cache.py).
PAGE_CACHE_SECONDS = 0
