"""The shared cache (issue 13, item 2): with REDIS_URL set, every process counts the same rate limits.

Two separate Python processes, started with the production-like cache settings, count sign-up attempts
from one address with django-ratelimit; the second sees the first's count. Needs the Redis server that
this kind of machine runs on 127.0.0.1:6379 (skipped, saying so, where none answers).
"""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

COUNT_ONCE = """
import django; django.setup()
from django.core.cache import caches
from django.test import RequestFactory
from django_ratelimit.core import get_usage
request = RequestFactory().post("/compte/inscription/", REMOTE_ADDR="203.0.113.7")
usage = get_usage(request, group=GROUP, key="ip", rate="10/h", method="POST", increment=True)
print(type(caches["default"]).__name__, usage["count"])
"""


def _redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis server answers on 127.0.0.1:6379")
def test_two_processes_see_one_rate_limit_counter():
    group = f"test-{uuid.uuid4().hex}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "REDIS_URL": REDIS_URL}
    seen = []
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", f"GROUP = {group!r}\n" + COUNT_ONCE],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        seen.append(done.stdout.split())
    assert seen == [["RedisCache", "1"], ["RedisCache", "2"], ["RedisCache", "3"]]
