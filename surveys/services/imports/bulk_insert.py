"""Multi-row INSERT … ON CONFLICT of many rows, on SQLite (VALUES) and PostgreSQL (COPY)."""

import datetime
import sqlite3
from operator import itemgetter

from django.db import connection

# Rows per INSERT statement (multi-row VALUES, SQLite), within the limit of bound parameters.
INSERT_ROWS = 1_000
# Rows per COPY and INSERT … SELECT (PostgreSQL).
COPY_ROWS = 50_000


class MultiRowInsert:
    """INSERT INTO table (every column) … [ON CONFLICT …] for many rows, on SQLite and PostgreSQL.

    Raw SQL because building a million model instances and preparing each field of each row costs
    minutes, and because the rule "the later submitted_at wins against the database" needs a conditional
    update that bulk_create(update_conflicts=True) cannot express. The column list comes from the model:
    a field added later is filled with its default.

    SQLite gets multi-row VALUES statements. PostgreSQL gets the rows by COPY into a temporary table and
    one INSERT … SELECT with the same ON CONFLICT clause: psycopg re-parses a statement with thousands
    of placeholders on every execution (it caches short statements only), which made VALUES ten times
    slower there than COPY.
    """

    def __init__(self, model, *, columns, constants, on_conflict=""):
        self.columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
        fields = {f.column: f for f in model._meta.concrete_fields}
        constants = dict(constants)
        for column in self.columns:
            if column not in columns and column not in constants:
                field = fields[column]
                constants[column] = field.get_db_prep_save(field.get_default(), connection)
        position = {column: i for i, column in enumerate(columns)}
        position.update({column: len(columns) + i for i, column in enumerate(constants)})
        self._getter = itemgetter(*[position[column] for column in self.columns])
        self._constants = tuple(constants.values())
        qn = connection.ops.quote_name
        self.table = qn(model._meta.db_table)
        column_list = ", ".join(qn(c) for c in self.columns)
        self._suffix = on_conflict
        self.use_copy = connection.vendor == "postgresql"
        if self.use_copy:
            temp = qn(f"import_{model._meta.db_table}")
            typed = ", ".join(f"{qn(c)} {fields[c].db_type(connection)}" for c in self.columns)
            self._create_temp = f"CREATE TEMPORARY TABLE IF NOT EXISTS {temp} ({typed}) ON COMMIT DROP"
            self._truncate_temp = f"TRUNCATE {temp}"
            self._copy_sql = f"COPY {temp} ({column_list}) FROM STDIN"
            # Identifiers from the model, quoted by the database's quote_name; the values go through COPY.
            self._insert_select = f"INSERT INTO {self.table} ({column_list}) SELECT {column_list} FROM {temp}"  # nosec B608
            self.max_rows = COPY_ROWS
        else:
            # Identifiers quoted as above; the values are query parameters (%s).
            self._prefix = f"INSERT INTO {self.table} ({column_list}) VALUES "  # nosec B608
            self._row = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
            self._sql = {}
            self.max_rows = max(1, min(INSERT_ROWS, _max_query_params() // len(self.columns)))

    def row(self, values):
        """Return the parameters of one row from `values`, given in the order of `columns`."""
        return self._getter(values + self._constants)

    def execute(self, cursor, rows):
        """Insert `rows` (built with `row`); return the number of rows inserted or updated."""
        if not rows:
            return 0
        if self.use_copy:
            return self._execute_copy(cursor, rows)
        written = 0
        for start in range(0, len(rows), self.max_rows):
            chunk = rows[start : start + self.max_rows]
            sql = self._sql.get(len(chunk))
            if sql is None:
                sql = self._sql[len(chunk)] = (
                    self._prefix + ", ".join([self._row] * len(chunk)) + self._suffix
                )
            cursor.execute(sql, [value for row in chunk for value in row])
            written += cursor.rowcount
        return written

    def _execute_copy(self, cursor, rows):
        cursor.execute(self._create_temp)
        cursor.execute(self._truncate_temp)
        with cursor.cursor.copy(self._copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(self._insert_select + self._suffix)
        return cursor.rowcount


def _max_query_params():
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # The library's real limit (32,766 since SQLite 3.32), not Django's conservative 999.
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65_535  # PostgreSQL's protocol limit


def _sqlite_datetime(value):
    # What Django's SQLite backend stores for an aware datetime (UTC, naive, text), without the
    # settings look-ups it makes on each call: this runs a million times.
    return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")


def datetime_adapter():
    """Return the function turning an aware datetime into the parameter the database expects."""
    if connection.vendor == "sqlite" and connection.timezone_name == "UTC":
        return _sqlite_datetime
    return connection.ops.adapt_datetimefield_value
