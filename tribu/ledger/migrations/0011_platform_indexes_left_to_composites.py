"""On PostgreSQL, the events', status changes' and chain links' own index on `platform_id`
goes: each table has composite indexes that begin with it ((platform, day, id),
(platform, id), (platform, seq)), which answer every lookup by platform. Kept, it misled
the planner for a platform its statistics do not know yet (one being imported): it read
all the platform's rows by that index and sorted them to find the newest, a lookup that
grew with the platform. SQLite plans by the statistics ANALYZE keeps and rebuilds a table
to drop a column's index: there it stays."""

from django.db import migrations

TABLES = ("EconomicEvent", "EventStatusChange", "HistoryLink")


def _platform_indexes(schema_editor, model) -> list[str]:
    return schema_editor._constraint_names(model, ["platform_id"], index=True, unique=False)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TABLES:
        model = apps.get_model("ledger", name)
        for index in _platform_indexes(schema_editor, model):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")


def restore(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TABLES:
        model = apps.get_model("ledger", name)
        if not _platform_indexes(schema_editor, model):
            field = model._meta.get_field("platform")
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0010_ledger_order_indexes")]

    operations = [migrations.RunPython(drop, restore)]
