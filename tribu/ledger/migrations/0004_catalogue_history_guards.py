from django.db import migrations


def install(apps, schema_editor):
    from tribu.ledger.guards import CATALOGUE

    CATALOGUE.install(schema_editor.connection)


def remove(apps, schema_editor):
    from tribu.ledger.guards import CATALOGUE

    CATALOGUE.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_agent_day_indexes")]

    operations = [migrations.RunPython(install, remove)]
