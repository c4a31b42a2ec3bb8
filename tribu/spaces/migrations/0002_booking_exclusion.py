"""On PostgreSQL, the database itself refuses two overlapping active bookings of one resource.

SQLite has no exclusion constraints: there `services.book` checks then inserts inside an
IMMEDIATE transaction, which holds the write lock from BEGIN.
"""

from django.db import migrations

CONSTRAINT = "spaces_booking_no_overlap"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE spaces_booking ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (resource_id WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
        "WHERE (status = 'active')"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE spaces_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial")]

    operations = [migrations.RunPython(add_exclusion, drop_exclusion)]
