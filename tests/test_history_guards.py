"""Histories refuse to be rewritten in the database; current roles follow their history
(issue 9, item 9)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from tribu.ledger.checks import check_roles, check_triggers
from tribu.ledger.models import SpecificationValues
from tribu.platforms.guards import ROLES
from tribu.platforms.models import MembershipChange


def raw(sql: str, params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_catalogue_values_cannot_be_rewritten(tribe):
    values = SpecificationValues.objects.filter(platform=tribe.platform).first()
    with pytest.raises(DatabaseError):
        raw("UPDATE ledger_specificationvalues SET proxy_central = 1 WHERE id = %s", [values.pk])
    with pytest.raises(DatabaseError):
        raw("DELETE FROM ledger_specificationvalues WHERE id = %s", [values.pk])


def test_the_history_of_roles_cannot_be_rewritten(tribe):
    change = MembershipChange.objects.filter(platform=tribe.platform).first()
    with pytest.raises(DatabaseError):
        raw("UPDATE platforms_membershipchange SET role = 'host' WHERE id = %s", [change.pk])


def test_check_finds_a_role_changed_behind_its_history(tribe):
    assert check_roles(tribe.platform).ok
    raw(
        "UPDATE platforms_membership SET role = 'host' WHERE agent_id = %s",
        [tribe.bob.pk],
    )
    with translation.override("en"):
        result = check_roles(tribe.platform)
    assert not result.ok and f"#{tribe.bob.pk}" in result.detail


def test_check_wants_every_history_guard(tribe):
    assert check_triggers().ok
    ROLES.remove(connection)
    try:
        assert not check_triggers().ok
    finally:
        ROLES.install(connection)
