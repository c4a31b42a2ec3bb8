"""On PostgreSQL, every foreign key between tenant tables gets its composite twin with
`platform_id` (see `tribu.core.tenancy`): a row never points at another platform's row.
A later migration that adds such a foreign key runs `enforce` again."""

from django.db import migrations

from tribu.core.tenancy import enforce, release


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_create_cache_table"),
        ("platforms", "0005_merge_20261130_0452"),
        ("agents", "0002_initial"),
        ("ledger", "0007_chain_link_unique_per_platform"),
        ("spaces", "0005_legal_details_per_platform"),
        ("community", "0004_merge_20261130_0455"),
    ]

    operations = [migrations.RunPython(enforce, release)]
