"""The production path: static files collected by `make prod-setup`, served by whitenoise's manifest storage."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from cms.demo import seed_pages
from ratings.demo import seed_catalogue

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 64 + "-Zq9!",
    "ALLOWED_HOSTS": "testserver",
}
MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def run_python(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "STATIC_ROOT"}}
    clean.update(PRODUCTION_ENV, **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=180
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    static_root = tmp_path_factory.mktemp("static")
    result = run_python("manage.py", "collectstatic", "--noinput", STATIC_ROOT=str(static_root))
    assert result.returncode == 0, result.stderr
    return static_root


def test_production_refuses_to_start_before_collectstatic_saying_what_to_run(tmp_path):
    result = run_python("-c", "import config.wsgi", STATIC_ROOT=str(tmp_path))
    assert result.returncode != 0
    assert "The static files are not collected" in result.stderr
    assert "make prod-setup" in result.stderr


def test_production_starts_once_the_static_files_are_collected(collected):
    result = run_python("-c", "import config.wsgi", STATIC_ROOT=str(collected))
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_the_home_page_renders_with_collected_static_files(collected):
    seed_catalogue()
    seed_pages()
    with override_settings(STORAGES=MANIFEST_STORAGES, STATIC_ROOT=str(collected), DEBUG=False):
        client = Client()
        response = client.get("/")
        assert response.status_code == 200
        stylesheet = next(
            line for line in response.content.decode().splitlines() if "stylesheet" in line and "site" in line
        )
        # The hashed name of the manifest, served by whitenoise with a far-future cache header.
        href = stylesheet.split('href="')[1].split('"')[0]
        assert href.startswith("/static/css/site.") and href != "/static/css/site.css"
        css = client.get(href)
        assert css.status_code == 200
        assert "immutable" in css["Cache-Control"]


def test_make_prod_setup_migrates_and_collects_with_the_production_settings():
    result = subprocess.run(
        ["make", "-n", "prod-setup"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    commands = [line for line in result.stdout.splitlines() if "manage.py" in line]
    assert any("migrate" in line for line in commands)
    assert any("collectstatic" in line for line in commands)
    assert all("DJANGO_SETTINGS_MODULE=config.settings.production" in line for line in commands)
