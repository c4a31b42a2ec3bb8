"""Every row of a platform's tables points only at rows of the same platform: what
distributing the database by platform needs (docs/scaling.md), held by the database where
it can be.

Django has no composite foreign keys. On PostgreSQL, each foreign key between two tenant
tables gets a composite twin, (platform_id, x_id) → target (platform_id, id), on a
UNIQUE (platform_id, id) of the target: a row cannot point at another platform's row, and
the rule is the one Citus needs to distribute the tables by `platform_id`. The twin then
replaces Django's simple key on x_id: whatever the simple key refused, the twin refuses
too (a row of the target with that id and that platform exists, so a row with that id
does), and PostgreSQL checks every key of every row written, so two keys for one relation
would cost two checks per row (about a third of a large import's time). For the same
reason a table's own key to the platform goes when a required twin already ties each row
to a row of the same platform whose platform is held (`implied`). SQLite cannot
add a constraint to an existing table: there `tribu check` finds such rows (one query per
foreign key, `tribu.ledger.checks.check_platforms`).

A link table of a many-to-many relation has no `platform_id`: the check keeps both ends
in one platform.
"""

from dataclasses import dataclass
from typing import Any

from django.apps import apps as live_apps
from django.db.backends.utils import truncate_name

TENANT_APPS = ("platforms", "agents", "ledger", "spaces", "community")
ROOT = "platforms.Platform"  # the tenant itself: its own id is its platform
MAX_NAME = 63  # PostgreSQL's identifiers


@dataclass(frozen=True)
class Link:
    """A foreign key from a tenant table to another tenant table."""

    model: type
    field: object

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def platform_path(self) -> str:
        """The lookup that gives a row's platform."""
        return platform_path(self.model)

    @property
    def constraint(self) -> str:
        return truncate_name(
            f"{self.model._meta.db_table}_{self.field.column}_same_platform", MAX_NAME
        )

    @property
    def enforced(self) -> bool:
        """PostgreSQL holds it (the row carries its platform in a column of its own)."""
        return platform_column(self.model) is not None


def platform_column(model) -> str | None:
    if model._meta.label == ROOT:
        return model._meta.pk.column
    field = next((f for f in model._meta.concrete_fields if f.name == "platform"), None)
    return field.column if field else None


def platform_path(model) -> str:
    if model._meta.label == ROOT:
        return "pk"
    if platform_column(model):
        return "platform_id"
    first = next(f for f in model._meta.concrete_fields if f.is_relation)
    return f"{first.name}__platform_id"  # a many-to-many link: by the row it starts from


def _is_tenant(model) -> bool:
    return model._meta.app_label in TENANT_APPS


def links(registry=live_apps) -> list[Link]:
    """Every foreign key between tenant tables (the platform itself and accounts aside)."""
    found = []
    for model in registry.get_models(include_auto_created=True):
        if not _is_tenant(model):
            continue
        relations = [f for f in model._meta.concrete_fields if f.is_relation]
        if platform_column(model) is None:
            relations = relations[1:]  # the first one gives the row's platform
        for field in relations:
            target = field.related_model
            if _is_tenant(target) and target._meta.label != ROOT:
                found.append(Link(model, field))
    return sorted(found, key=lambda link: link.label)


def target_key(model) -> str:
    return truncate_name(f"{model._meta.db_table}_platform_row", MAX_NAME)


def _targets(enforced: list[Link]) -> list:
    found = {link.field.related_model._meta.label: link.field.related_model for link in enforced}
    return [found[label] for label in sorted(found)]


def _existing(cursor) -> set[str]:
    cursor.execute("SELECT conname FROM pg_constraint")
    return {row[0] for row in cursor.fetchall()}


def enforce(apps, schema_editor) -> None:
    """Add the missing composite keys, and drop the simple keys they replace (PostgreSQL
    only; run again after new foreign keys)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        existing = _existing(cursor)
    enforced = [link for link in links(apps) if link.enforced]
    for target in _targets(enforced):
        if target_key(target) not in existing:
            schema_editor.execute(
                f"ALTER TABLE {quote(target._meta.db_table)} ADD CONSTRAINT "
                f"{quote(target_key(target))} UNIQUE (platform_id, {quote(target._meta.pk.column)})"
            )
    for link in enforced:
        if link.constraint in existing:
            continue
        target = link.field.related_model
        schema_editor.execute(
            f"ALTER TABLE {quote(link.model._meta.db_table)} ADD CONSTRAINT "
            f"{quote(link.constraint)} FOREIGN KEY "
            f"({quote(platform_column(link.model))}, {quote(link.field.column)}) "
            f"REFERENCES {quote(target._meta.db_table)} "
            f"(platform_id, {quote(link.field.target_field.column)}) "
            "DEFERRABLE INITIALLY DEFERRED"
        )
    for model, field in replaced(apps):
        for name in _simple_keys(schema_editor, model, field):
            schema_editor.execute(schema_editor._delete_fk_sql(model, name))


def replaced(registry=live_apps) -> list[tuple[type, Any]]:
    """Django's simple keys that the composite keys make redundant, as (model, field): each
    link's own, and the platform key of a table whose platform follows from such a link."""
    enforced = [link for link in links(registry) if link.enforced]
    found = [(link.model, link.field) for link in enforced]
    found += [(model, model._meta.get_field("platform")) for model in implied(enforced)]
    return found


def implied(enforced: list[Link]) -> list[type]:
    """Tables whose own key to the platform is implied: a required composite key ties each
    row to a row of another table with the same platform_id, and that table's platform is
    held, by its own key or in turn by such a link. Grown from the tables that keep their
    key, so no table vouches for itself through a circle."""
    required: dict[str, set[str]] = {}
    models = {}
    for link in enforced:
        source, target = link.model._meta.label, link.field.related_model._meta.label
        models[source] = link.model
        if not link.field.null and target != source:
            required.setdefault(source, set()).add(target)
    held = {link.field.related_model._meta.label for link in enforced} | set(models)
    held -= set(required)  # no required link: these keep their own key
    found: list[str] = []
    while grown := [s for s, ts in required.items() if s not in found and ts & (held | {*found})]:
        found += sorted(grown)
    return [models[label] for label in found]


def _simple_keys(schema_editor, model, field) -> list[str]:
    """Django's own foreign key on the field's column alone (a composite one has two)."""
    return schema_editor._constraint_names(model, [field.column], foreign_key=True)


def restore_simple_keys(apps, schema_editor) -> None:
    """Give each relation its simple key back (migrating backwards)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        tables = set(schema_editor.connection.introspection.table_names(cursor))
    for model, field in replaced(apps):
        # A later app's table may already be gone: its own migrations were undone first.
        if model._meta.db_table in tables and not _simple_keys(schema_editor, model, field):
            schema_editor.execute(
                schema_editor._create_fk_sql(model, field, "_fk_%(to_table)s_%(to_column)s")
            )


def release(apps, schema_editor) -> None:
    """Undo `enforce` (migrating backwards)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    restore_simple_keys(apps, schema_editor)
    quote = schema_editor.quote_name
    enforced = [link for link in links(apps) if link.enforced]
    # A later app's table may already be gone: its own migrations were undone first.
    for link in enforced:
        schema_editor.execute(
            f"ALTER TABLE IF EXISTS {quote(link.model._meta.db_table)} "
            f"DROP CONSTRAINT IF EXISTS {quote(link.constraint)}"
        )
    for target in _targets(enforced):
        schema_editor.execute(
            f"ALTER TABLE IF EXISTS {quote(target._meta.db_table)} "
            f"DROP CONSTRAINT IF EXISTS {quote(target_key(target))}"
        )
