"""The database cache's table, made wherever the schema is: the workers share login limits and
report figures through it, so a server must not start without it. (`createcachetable` does
nothing for a cache that is not in the database, such as Redis.)"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
