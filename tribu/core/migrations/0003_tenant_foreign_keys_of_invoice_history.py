"""The invoices' history (and any foreign key between tenant tables added since 0002)
gets its composite twin with `platform_id` on PostgreSQL."""

from django.db import migrations

from tribu.core.tenancy import enforce


def nothing(apps, schema_editor) -> None:
    """Going back, 0002's `release` removes them all."""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_tenant_foreign_keys"),
        ("platforms", "0005_merge_20261130_0452"),
        ("ledger", "0009_merge_20261130_0731"),
        ("spaces", "0007_merge_20261130_0731"),
        ("community", "0005_uniqueness_within_platform"),
        ("forecasts", "0002_append_only_guards"),
        ("dossiers", "0001_funder_links"),
        ("observatory", "0001_observatory_documents_keys_subscriptions"),
    ]

    operations = [migrations.RunPython(enforce, nothing)]
