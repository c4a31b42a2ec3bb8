"""What distributing the database by platform needs (docs/scaling.md): every tenant table
carries `platform_id`, and no new uniqueness may span platforms.

Citus distributes tables by a column and requires every unique constraint (and every
foreign key between distributed tables) to include it. The uniqueness that does not
include `platform_id` is listed below, each with its reason, so that a new table or
constraint that breaks the rule fails here. Every foreign key between tenant tables has a
composite twin with `platform_id` on PostgreSQL, and `tribu check` finds a row pointing at
another platform's row on both engines (`tribu.core.tenancy`).
"""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from tests.factories import make_tribe, record
from tribu.community.services import post_intent
from tribu.core.tenancy import ROOT, TENANT_APPS, implied, links, platform_column, replaced
from tribu.ledger.checks import check_platforms

# Uniqueness that spans platforms today, as (model, fields). Each is harmless on one
# database (the rows it relates belong to one platform) but must include `platform_id`
# before the tables are distributed. It may only shrink.
KNOWN_GAPS: set[tuple[str, tuple[str, ...]]] = set()

# Uniqueness that stays without `platform_id`, each for a reason.
ONE_TO_ONE = (
    "a one-to-one link: its column is unique on its own, and the composite foreign key ties "
    "it to the row's platform, so (platform_id, column) is unique exactly when the column "
    "is; distributing the table swaps the one for the other"
)
TOKEN = (
    "a random token, found from a link that names no platform: unique across the instance "
    "by construction; distributed, the table becomes a reference table or the token carries "
    "its platform"
)
EXCEPTIONS = {
    ("agents.Agent_representatives", ("from_agent", "to_agent")): (
        "the link table of a many-to-many relation has no platform_id; both agents belong to "
        "one platform (tribu check), and distributing it makes it a table of its own"
    ),
    ("community.CharterComment", ("withdraws",)): ONE_TO_ONE,
    ("community.CharterVersion", ("proposal",)): ONE_TO_ONE,
    ("community.ConcernResolution", ("concern",)): ONE_TO_ONE,
    ("community.NotificationPreference", ("agent",)): ONE_TO_ONE,
    ("ledger.Declaration", ("event",)): ONE_TO_ONE,
    ("spaces.FeedToken", ("agent",)): ONE_TO_ONE,
    ("spaces.Gathering", ("booking",)): ONE_TO_ONE,
    ("spaces.Invoice", ("gathering",)): ONE_TO_ONE,
    ("platforms.Invitation", ("token",)): TOKEN,
    ("spaces.FeedToken", ("token",)): TOKEN,
}
# Foreign keys between tenant tables that PostgreSQL cannot hold with a composite key (the
# row has no platform_id of its own): `tribu check` holds them, on both engines.
CHECKED_ONLY = {"agents.Agent_representatives.to_agent"}
# Tables every platform shares: a foreign key into one of them needs no platform_id.
SHARED = {"auth.User", ROOT}


def tenant_models():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in TENANT_APPS and m._meta.label != ROOT
    ]


def uniques(model) -> set[tuple[str, ...]]:
    found = {(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    found |= {tuple(fields) for fields in model._meta.unique_together}
    found |= {
        tuple(c.fields)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields
    }
    return found


def test_every_tenant_table_carries_platform_id():
    missing = [
        m._meta.label
        for m in tenant_models()
        if "platform" not in {f.name for f in m._meta.concrete_fields}
        and not m._meta.auto_created  # many-to-many links: scoped by the rows they link
    ]
    assert missing == []


def test_no_new_uniqueness_spans_platforms():
    spanning = {
        (m._meta.label, fields)
        for m in tenant_models()
        for fields in uniques(m)
        if "platform" not in fields
    }
    allowed = KNOWN_GAPS | set(EXCEPTIONS)
    assert spanning - allowed == set(), "include platform in this unique constraint"
    assert allowed - spanning == set(), "fixed: remove it from KNOWN_GAPS or EXCEPTIONS"


def test_every_foreign_key_leaves_tenant_tables_only_for_a_shared_table():
    outside = {
        field.related_model._meta.label
        for m in tenant_models()
        for field in m._meta.concrete_fields
        if field.is_relation and field.related_model._meta.app_label not in TENANT_APPS
    }
    assert outside <= SHARED


def test_every_foreign_key_between_tenant_tables_is_held():
    found = {link.label: link for link in links()}
    assert {"ledger.EconomicEvent.provider", "community.Match.need"} <= set(found)
    between = {
        f"{m._meta.label}.{field.name}"
        for m in tenant_models()
        for field in m._meta.concrete_fields
        if field.is_relation and field.related_model._meta.label not in SHARED | {ROOT}
    }
    first_ends = {"agents.Agent_representatives.from_agent"}  # gives the link row's platform
    assert between - first_ends <= set(found)
    assert {label for label, link in found.items() if not link.enforced} == CHECKED_ONLY


@pytest.mark.django_db
def test_postgresql_holds_each_foreign_key_with_its_platform():
    if connection.vendor != "postgresql":
        return  # SQLite: `tribu check` holds them (test below)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f'"
        )
        catalog = {(table, name): definition for table, name, definition in cursor.fetchall()}
    missing = []
    for link in links():
        if not link.enforced:
            continue
        target = link.field.related_model._meta.db_table
        expected = (
            f"FOREIGN KEY ({platform_column(link.model)}, {link.field.column}) "
            f"REFERENCES {target}(platform_id, id) DEFERRABLE INITIALLY DEFERRED"
        )
        if catalog.get((link.model._meta.db_table, link.constraint)) != expected:
            missing.append(link.label)
    assert missing == []


@pytest.mark.django_db
def test_postgresql_checks_each_relation_once():
    """The composite key replaces the simple one: a large import pays one check per
    relation and row, not two. A table whose platform follows from a required composite
    key loses its own key to the platform too."""
    if connection.vendor != "postgresql":
        return  # SQLite keeps Django's simple keys: it has no composite ones
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, a.attname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1"
        )
        simple = set(cursor.fetchall())
    twice = [
        f"{model._meta.label}.{field.name}"
        for model, field in replaced()
        if (model._meta.db_table, field.column) in simple
    ]
    assert twice == []
    assert ("ledger_eventstatuschange", "platform_id") not in simple
    assert ("agents_agent", "platform_id") in simple  # what the others' platform follows from
    assert ("ledger_historylink", "platform_id") in simple  # no composite key: its own stays


def test_a_platform_key_is_implied_only_through_a_table_that_holds_its_own():
    enforced = [link for link in links() if link.enforced]
    found = {model._meta.label for model in implied(enforced)}
    assert {"ledger.EconomicEvent", "ledger.EventStatusChange", "ledger.EventState"} <= found
    assert {"agents.Agent", "ledger.ResourceSpecification", "ledger.HistoryLink"}.isdisjoint(found)
    held, order = set(), [model._meta.label for model in implied(enforced)]
    for label in order:  # each one rests on a table that keeps its key or came before it
        required = {
            link.field.related_model._meta.label
            for link in enforced
            if link.model._meta.label == label and not link.field.null
        }
        assert required - set(order) or required & held, label
        held.add(label)


@pytest.mark.django_db
def test_a_row_naming_a_platform_that_does_not_hold_its_event_is_refused(tribe):
    if connection.vendor != "postgresql":
        return  # SQLite keeps the simple key to the platform
    event = record(tribe, tribe.alice, "volunteer-hour", tribe.alice, tribe.host, 1)
    other = make_tribe("autre")
    for platform_id in (other.platform.pk, other.platform.pk + 1000):  # another's, or none
        with pytest.raises(IntegrityError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO ledger_eventstatuschange "
                    "(status, reason, at, by_id, event_id, platform_id) "
                    "VALUES ('confirmed', '', now(), %s, %s, %s)",
                    [tribe.hana.pk, event.pk, platform_id],
                )
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _point_at_another_platform(intent, other) -> None:
    """Raw SQL, past the services: the need's author becomes an agent of `other`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE community_intent SET agent_id = %s WHERE id = %s", [other.alice.pk, intent.pk]
        )


def test_the_check_finds_a_row_pointing_at_another_platform(tribe):
    other = make_tribe("autre")
    intent = post_intent(tribe.hana, kind="need", title="A plumber", tags="plumbing")
    assert check_platforms(None).ok
    if connection.vendor == "postgresql":  # the composite key refuses it
        with pytest.raises(IntegrityError), transaction.atomic():
            _point_at_another_platform(intent, other)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return
    _point_at_another_platform(intent, other)
    found = check_platforms(None)
    assert not found.ok
    assert "community.Intent.agent" in found.detail and f"#{intent.pk}" in found.detail
    assert not check_platforms(tribe.platform).ok and check_platforms(other.platform).ok


def test_the_check_finds_a_representation_across_platforms(tribe):
    other = make_tribe("autre")
    tribe.landlord.representatives.add(other.alice)  # past the service, which refuses it
    found = check_platforms(None)
    assert not found.ok and "agents.Agent_representatives.to_agent" in found.detail


def test_the_check_asks_one_query_per_foreign_key(tribe, django_assert_num_queries):
    with django_assert_num_queries(len(links())):
        assert check_platforms(None).ok
