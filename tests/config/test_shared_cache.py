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
usage = get_usage(request, group=GROUP, key="ip", rate="10/d", method="POST", increment=True)  # a day: no window edge
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


API_THROTTLE_ONCE = """
import django; django.setup()
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle
class Throttle(AnonRateThrottle):
    scope = SCOPE
    THROTTLE_RATES = {SCOPE: "2/hour"}
from django.contrib.auth.models import AnonymousUser
request = RequestFactory().get("/api/v1/products/", REMOTE_ADDR="203.0.113.9")
request.user = AnonymousUser()
print(Throttle().allow_request(request, view=None))
"""


@pytest.mark.skipif(not _redis_answers(), reason="no Redis server answers on 127.0.0.1:6379")
def test_api_throttle_counts_across_processes():
    """DRF's anonymous throttle keeps its history in the default cache: the third process is refused."""
    scope = f"test-{uuid.uuid4().hex}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "REDIS_URL": REDIS_URL}
    answers = []
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", f"SCOPE = {scope!r}\n" + API_THROTTLE_ONCE],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        answers.append(done.stdout.strip())
    assert answers == ["True", "True", "False"]


# Only the tables a sign-in touches (the whole migration history takes a minute).
CREATE_SIGN_IN_TABLES = """
import django; django.setup()
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
with connection.schema_editor() as editor:
    for model in (get_user_model(), *apps.get_app_config("axes").get_models()):
        editor.create_model(model)
"""

AXES_FAILURES = """
import django; django.setup()
from django.contrib.auth import authenticate
from django.test import RequestFactory
from axes.handlers.proxy import AxesProxyHandler
request = RequestFactory().post("/compte/connexion/", REMOTE_ADDR="203.0.113.8")
credentials = {"username": "someone@example.org"}
for _ in range(FAILURES):
    authenticate(request, username="someone@example.org", password="wrong")
print(AxesProxyHandler.is_locked(request, credentials))
"""


def test_sign_in_lockout_holds_across_processes(tmp_path):
    """django-axes keeps failures in the database every web process shares: one process fails three times,
    another twice, and a third, which never failed, finds the account locked for that address."""
    database = f"sqlite:///{tmp_path / 'axes.sqlite3'}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": database}
    env.pop("REDIS_URL", None)
    tables = subprocess.run(
        [sys.executable, "-c", CREATE_SIGN_IN_TABLES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert tables.returncode == 0, tables.stderr
    locked = []
    for failures in (3, 2, 0):
        done = subprocess.run(
            [sys.executable, "-c", f"FAILURES = {failures}\n" + AXES_FAILURES],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        locked.append(done.stdout.strip())
    assert locked == ["False", "True", "True"]
