"""On PostgreSQL, each composite key with `platform_id` replaces the simple foreign key of
the same relation (see `tribu.core.tenancy`): one check per row written instead of two."""

from django.db import migrations

from tribu.core.tenancy import enforce, restore_simple_keys


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_tenant_foreign_keys_of_invoice_history"),
        ("agents", "0002_initial"),
        ("community", "0005_uniqueness_within_platform"),
        ("dossiers", "0002_who_may_be_empty"),
        ("forecasts", "0003_who_may_be_empty"),
        ("ledger", "0009_merge_20261130_0731"),
        ("observatory", "0001_observatory_documents_keys_subscriptions"),
        ("platforms", "0005_merge_20261130_0452"),
        ("spaces", "0007_merge_20261130_0731"),
    ]

    operations = [migrations.RunPython(enforce, restore_simple_keys)]
