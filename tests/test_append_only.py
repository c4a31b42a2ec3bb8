"""The ledger is append-only in the database itself: raw SQL cannot change it either."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.factories import record

TABLES = ["ledger_economicevent", "ledger_eventstatuschange"]


@pytest.fixture
def event(tribe):
    return record(tribe, tribe.fanny, "hotel-night", tribe.place, tribe.host, 3)


def _raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("table", TABLES)
def test_raw_sql_update_fails(event, table):
    column = "note" if table == "ledger_economicevent" else "reason"
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {table} SET {column} = 'rewritten'")


@pytest.mark.parametrize("table", TABLES)
def test_raw_sql_delete_fails(event, table):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {table}")


def test_orm_update_and_delete_fail_too(event):
    event.note = "rewritten"
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            event.save()
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            type(event).objects.filter(pk=event.pk).delete()


def test_emptying_the_table_at_once_fails(event):
    """PostgreSQL's TRUNCATE skips row triggers, so it has its own; SQLite has no TRUNCATE
    but turns an unqualified DELETE into one, which the row trigger still stops."""
    if connection.vendor == "postgresql":
        # Deferred foreign-key checks would block TRUNCATE for another reason: run them first.
        _raw("SET CONSTRAINTS ALL IMMEDIATE")
        sql = "TRUNCATE ledger_economicevent CASCADE"
    else:
        sql = "DELETE FROM ledger_economicevent"
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(sql)


def test_the_event_is_unchanged_after_the_attempts(event):
    for sql in (
        "UPDATE ledger_economicevent SET resource_quantity = 99",
        "DELETE FROM ledger_economicevent",
    ):
        with pytest.raises(DatabaseError):
            _raw(sql)
    event.refresh_from_db()
    assert event.resource_quantity == 3 and event.note == ""
