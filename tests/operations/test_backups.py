"""Backups (issue 13, item 6): a drill — back up, wipe, restore, recompute — gives the same scores export;
a file that is not a backup, or the other kind's, is refused before anything is touched."""

import importlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from surveys.models import Response
from tests.analytics import builders

pytestmark = pytest.mark.django_db


def _scores():
    out = io.StringIO()
    call_command("export_scores", "--format", "csv", stdout=out)
    return out.getvalue()


def _migrations_rows():
    """Make again the facets and methodology v1 that a migration created (a flush before may have emptied them)."""
    from django.apps import apps

    importlib.import_module("ratings.migrations.0002_facets_and_methodology_v1").forwards(apps, None)


@pytest.fixture
def scored():
    _migrations_rows()
    products = builders.catalogue(3)
    camp = builders.campaign()
    for i, product in enumerate(products):
        ratings = [{"ease_of_use": 1 + (j + i) % 5, "reliability": 1 + (2 * j + i) % 5} for j in range(12)]
        builders.answer(
            builders.doctors(12), product, camp, ratings, recommend=[(j * 3) % 11 for j in range(12)]
        )
    call_command("recompute_scores", stdout=io.StringIO())
    return products


# Real commits: the restoration replaces the database under the test, which a wrapping transaction would
# hide (SQLite) or block (PostgreSQL). Its flushes empty the rows migrations made, so it runs last of all
# (tests/conftest.py).
@pytest.mark.flushes_database
@pytest.mark.django_db(transaction=True)
def test_back_up_wipe_restore_recompute_gives_the_same_scores(scored, tmp_path):
    before = _scores()
    assert before.count("\n") > 3  # a header and a row per product
    responses = Response.objects.count()
    backup = tmp_path / "site.backup"
    call_command("backup", "--output", str(backup), stdout=io.StringIO())
    assert backup.stat().st_size > 0 and not list(tmp_path.glob(".*partial"))

    call_command("flush", "--noinput", verbosity=0)
    assert Response.objects.count() == 0

    call_command("restore", str(backup), "--noinput", stdout=io.StringIO())
    assert Response.objects.count() == responses
    assert _scores() == before  # the snapshot came back with the rows
    call_command("recompute_scores", stdout=io.StringIO())
    assert _scores() == before  # and recomputing from the restored responses gives the same numbers


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(scored, tmp_path):
    before = _scores()
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(junk), "--noinput")
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "missing.backup"), "--noinput")
    other = b"PGDMP" if connection.vendor == "sqlite" else b"SQLite format 3\x00"
    (tmp_path / "other.backup").write_bytes(other + b"\x00" * 64)
    with pytest.raises(CommandError, match=f"this site's database is {connection.vendor}"):
        call_command("restore", str(tmp_path / "other.backup"), "--noinput")
    assert _scores() == before


def test_a_backup_into_a_missing_folder_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", "--output", str(tmp_path / "nowhere" / "site.backup"))


def test_restoring_asks_first(tmp_path, monkeypatch):
    backup = tmp_path / "site.backup"
    backup.write_bytes(b"SQLite format 3\x00")  # the question comes before the file is read
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(backup))
