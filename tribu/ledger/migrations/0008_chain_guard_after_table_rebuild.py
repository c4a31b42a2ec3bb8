"""SQLite rebuilds a table to change its constraints (0007), and the rebuilt table has no
triggers: the hash chain's append-only guard is installed again."""

from django.db import migrations


def install(apps, schema_editor):
    from tribu.ledger.guards import CHAIN

    CHAIN.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0007_chain_link_unique_per_platform"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
