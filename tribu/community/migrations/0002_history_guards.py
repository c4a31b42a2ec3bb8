from django.db import migrations


def install(apps, schema_editor):
    from tribu.community import guards

    guards.install(schema_editor.connection)


def remove(apps, schema_editor):
    from tribu.community import guards

    guards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
