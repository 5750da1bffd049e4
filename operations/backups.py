"""Back up the database to one file and restore it: SQLite's online backup API, or pg_dump/pg_restore.

A backup is a consistent copy taken while the site runs. Its kind is told by its first bytes (an SQLite
file or a pg_dump custom-format archive), so restoring a file into the wrong kind of database, or a file
that is not a backup at all, is refused before anything is touched. Uploaded files (MEDIA_ROOT, the
private reports) are not in the database: back them up with the file system.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or a restoration that cannot be done, with the reason for the operator."""


def vendor(alias="default"):
    return connections[alias].vendor


def backup(output, *, alias="default"):
    """Write a consistent copy of the database to `output` (a path); return its size in bytes.

    The copy is written beside `output` and renamed into place, so `output` is either the old file or
    a whole backup, never half of one.
    """
    output = Path(output)
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    handle, partial = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partial")
    os.close(handle)
    partial = Path(partial)
    try:
        if vendor(alias) == "sqlite":
            _sqlite_backup(partial, alias)
        elif vendor(alias) == "postgresql":
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial)], alias
            )
        else:
            raise BackupError(f"Backups of a {vendor(alias)} database are not supported.")
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return output.stat().st_size


def restore(source, *, alias="default"):
    """Replace the whole database with the backup `source`, in one transaction."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    kind = "sqlite" if head.startswith(SQLITE_MAGIC) else "postgresql" if head.startswith(PG_MAGIC) else None
    if kind is None:
        raise BackupError(f"{source} is not a backup made by `manage.py backup` (unknown format).")
    if kind != vendor(alias):
        raise BackupError(f"{source} is a {kind} backup; this site's database is {vendor(alias)}.")
    if kind == "sqlite":
        _sqlite_restore(source, alias)
    else:
        connections[alias].close()  # pg_restore drops and re-creates the tables this connection may hold
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", str(source)], alias, database_flag="--dbname")  # fmt: skip
    connections[alias].close()


def _sqlite_backup(target, alias):
    connection = connections[alias]
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


def _sqlite_restore(source, alias):
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
            backup_db.execute("PRAGMA quick_check").fetchone()
            connection = connections[alias]
            connection.ensure_connection()
            backup_db.backup(connection.connection)
        backup_db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} cannot be restored: {exc}.") from exc


def _run(command, alias, database_flag=None):
    """Run a PostgreSQL client tool against the database `alias`, with its settings as libpq variables."""
    settings = connections[alias].settings_dict
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    command = [*command, *([database_flag, settings["NAME"]] if database_flag else [settings["NAME"]])]
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 (fixed argv)
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")
