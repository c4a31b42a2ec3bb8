"""Each platform's histories carry a SHA-256 hash chain that `tribu check` verifies
(issue 9, item 9)."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from tests.factories import make_tribe, record
from tribu.ledger.chain import GENESIS, head
from tribu.ledger.checks import check_chain
from tribu.ledger.guards import CHAIN, LEDGER
from tribu.ledger.models import HistoryLink
from tribu.ledger.services import confirm_event


def test_every_history_row_is_linked_and_the_chain_verifies(tribe):
    before = head(tribe.platform)
    event = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 2)
    confirm_event(event, tribe.bob)
    assert head(tribe.platform) not in (before, GENESIS)
    assert HistoryLink.objects.filter(table="ledger_economicevent", row_id=event.pk).exists()
    assert check_chain(tribe.platform).ok


def test_a_row_rewritten_behind_the_guards_breaks_the_chain(tribe):
    event = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, 2)
    LEDGER.remove(connection)  # what someone with raw access to the database could do
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ledger_economicevent SET resource_quantity = 20 WHERE id = %s", [event.pk]
            )
    finally:
        LEDGER.install(connection)
    with translation.override("en"):
        result = check_chain(tribe.platform)
    assert not result.ok and "breaks" in result.detail


def test_links_cannot_be_rewritten(tribe):
    link = HistoryLink.objects.filter(platform=tribe.platform).first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_historylink SET digest = 'x' WHERE id = %s", [link.pk])


def test_each_platform_has_its_own_chain(tribe):
    other = make_tribe("autre")
    record(other, other.alice, "volunteer-hour", other.alice, other.bob, 1)
    assert head(other.platform) != head(tribe.platform)
    assert check_chain(None).ok


def test_a_rows_text_is_the_json_of_its_canonical_values(tribe):
    """`content` assembles the JSON column by column; it must write what `json.dumps` of
    the canonical values writes, or the chains already recorded would no longer verify."""
    import json
    from decimal import Decimal

    from tribu.ledger.chain import CHAINED, _canonical, content, content_of, text_of_values
    from tribu.ledger.services import dispute_event
    from tribu.spaces.models import InvoiceChange

    event = record(
        tribe,
        tribe.alice,
        "volunteer-hour",
        tribe.alice,
        tribe.bob,
        Decimal("2.12345"),
        note='un "mot"\nsur deux lignes, été \\ \u2028 😀',
    )
    dispute_event(event, tribe.bob, "« trop » d’heures\t!")
    rows = [row for model in CHAINED for row in model.objects.filter(platform=tribe.platform)]
    # Invoices' history is chained too; tests/spaces/test_invoice_history.py issues some.
    assert {type(row) for row in rows} == set(CHAINED) - {InvoiceChange}
    for row in rows:
        values = {f.attname: _canonical(f, getattr(row, f.attname)) for f in row._meta.fields}
        expected = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert content(row) == expected
        assert content_of(type(row), row.__dict__) == expected
        # The bulk writer's form: the values as a list, in an order of its own.
        order = tuple(reversed([f.attname for f in row._meta.concrete_fields]))
        listed = [getattr(row, name) for name in order]
        assert text_of_values(type(row), order)(listed) == expected


def test_the_migrations_leave_the_chain_guarded(transactional_db):
    """SQLite rebuilds a table to change its constraints, and a rebuilt table has lost its
    triggers: after the migrations the chain's links must still be guarded."""
    from django.core.management import call_command

    from tribu.ledger.checks import installed_triggers

    CHAIN.remove(connection)
    call_command("migrate", "ledger", "0006", verbosity=0)
    call_command("migrate", verbosity=0)  # every app: the later ones were undone too
    assert CHAIN.trigger_names(connection.vendor) <= installed_triggers()


@pytest.mark.parametrize("quantity", ["2.00005", "2.00015", "0.00005", "1.23456789"])
def test_a_quantity_finer_than_its_column_is_chained_as_stored(tribe, quantity):
    """The column keeps four decimals: the chain must cover what it keeps, whichever way
    the engine rounds a half-way case (PostgreSQL rounds it away from zero)."""
    event = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.bob, Decimal(quantity))
    event.refresh_from_db()
    assert check_chain(tribe.platform).ok, event.resource_quantity
