from django.db import migrations


def install(apps, schema_editor):
    from tribu.platforms.guards import ROLES

    ROLES.install(schema_editor.connection)


def remove(apps, schema_editor):
    from tribu.platforms.guards import ROLES

    ROLES.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("platforms", "0003_trial_access")]

    operations = [migrations.RunPython(install, remove)]
