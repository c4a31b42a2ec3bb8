from django.db import migrations


def install(apps, schema_editor):
    from tribu.forecasts import guards

    guards.install(schema_editor.connection)


def remove(apps, schema_editor):
    from tribu.forecasts import guards

    guards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("forecasts", "0001_forecast_versions")]

    operations = [migrations.RunPython(install, remove)]
