"""The ledger's order and its newest status change, read from indexes: (platform, day, id)
replaces (platform, day), and (platform, id) marks a platform's newest change."""

from django.db import migrations, models

NEW = ("event_platform_day_id", "change_platform_newest")


def measure(apps, schema_editor) -> None:
    """SQLite plans by the statistics ANALYZE keeps: a database that has them gets the new
    indexes' too, or SQLite would guess them far more selective than they are and prefer
    them where another index is better (a ledger page's corrections, read by platform)."""
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps its statistics by column, not by index
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            for index in NEW:
                cursor.execute(f"ANALYZE {index}")


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0002_initial"),
        ("ledger", "0009_merge_20261130_0731"),
        ("platforms", "0005_merge_20261130_0452"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="economicevent", name="event_platform_day"),
        migrations.AddIndex(
            model_name="economicevent",
            index=models.Index(fields=["platform", "occurred_on", "id"], name=NEW[0]),
        ),
        migrations.AddIndex(
            model_name="eventstatuschange",
            index=models.Index(fields=["platform", "id"], name=NEW[1]),
        ),
        migrations.RunPython(measure, migrations.RunPython.noop),
    ]
