"""Bulk loading as databases like it: indexes and foreign keys set aside, then rebuilt.

Inserting a million rows into a table with nine indexes and half a dozen foreign keys
updates every index and checks every key row by row. Building an index once over the
loaded rows, and checking each foreign key with one pass over the table, is several times
faster. Nothing is skipped: every index is created again from its own definition, and
every foreign key is checked over all the rows before the load counts as done
(PostgreSQL validates the constraint when it is added back; SQLite's
`PRAGMA foreign_key_check`, through Django's `check_constraints`, fails the load on any
row that breaks one).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def indexes_and_keys_set_aside(tables: list[str]) -> Iterator[None]:
    if connection.vendor == "postgresql":
        with _postgresql(tables):
            yield
    else:
        with _sqlite(tables):
            yield


def index_definitions(tables: list[str]) -> set[str]:
    """The indexes of `tables`, as their SQL definitions (to compare before and after)."""
    return {sql for _name, sql in _indexes(tables)}


def _indexes(tables: list[str]) -> list[tuple[str, str]]:
    marks = ", ".join(["%s"] * len(tables))
    if connection.vendor == "postgresql":
        # Indexes that back a constraint (primary keys, unique constraints) stay.
        sql = f"""
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname IN ({marks}) AND t.relnamespace = 'public'::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1"""
    else:
        # Indexes SQLite makes itself for a PRIMARY KEY or UNIQUE have no SQL: they stay.
        sql = f"""
            SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND tbl_name IN ({marks}) AND sql IS NOT NULL ORDER BY 1"""
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return cursor.fetchall()


def _foreign_keys(tables: list[str]) -> list[tuple[str, str, str]]:
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE c.contype = 'f' AND t.relname IN ({marks})
              AND t.relnamespace = 'public'::regnamespace
            ORDER BY 1, 2""",
            tables,
        )
        return cursor.fetchall()


@contextmanager
def _postgresql(tables: list[str]) -> Iterator[None]:
    indexes, keys = _indexes(tables), _foreign_keys(tables)
    # Deferred key checks still pending in this transaction (as in a test) would forbid
    # the ALTER TABLE: run them now.
    connection.check_constraints()
    with connection.cursor() as cursor:
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


@contextmanager
def _sqlite(tables: list[str]) -> Iterator[None]:
    indexes = _indexes(tables)
    # Has no effect inside a transaction (as in tests): the load is then merely slower.
    connection.disable_constraint_checking()
    with connection.cursor() as cursor:
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)
        connection.enable_constraint_checking()
    connection.check_constraints(table_names=tables)  # IntegrityError on any broken key
