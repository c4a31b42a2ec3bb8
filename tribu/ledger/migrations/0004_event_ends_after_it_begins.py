from django.db import migrations, models


def reinstall_guards(apps, schema_editor):
    """SQLite adds a constraint by rebuilding the table, which drops its triggers."""
    from tribu.ledger import guards

    guards.install(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0002_initial'),
        ('ledger', '0003_agent_day_indexes'),
        ('platforms', '0002_platform_cause_place_status'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='economicevent',
            constraint=models.CheckConstraint(condition=models.Q(('has_end__isnull', True), models.Q(('has_beginning__isnull', False), ('has_end__gt', models.F('has_beginning'))), _connector='OR'), name='event_ends_after_it_begins'),
        ),
        migrations.RunPython(reinstall_guards, migrations.RunPython.noop),
    ]
