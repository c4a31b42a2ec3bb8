import django.db.models.deletion
from django.db import migrations, models


def fill_platform(apps, schema_editor):
    """Each organization's legal details belong to the platform of that organization."""
    LegalDetails = apps.get_model("spaces", "LegalDetails")
    for details in LegalDetails.objects.select_related("agent"):
        details.platform_id = details.agent.platform_id
        details.save(update_fields=["platform"])


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0002_initial"),
        ("platforms", "0005_merge_20261130_0452"),
        ("spaces", "0004_invoicing_terms_and_legal_details"),
    ]

    operations = [
        migrations.AddField(
            model_name="legaldetails",
            name="platform",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="platforms.platform",
            ),
        ),
        migrations.RunPython(fill_platform, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="legaldetails",
            name="platform",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="platforms.platform",
            ),
        ),
        migrations.AlterField(
            model_name="legaldetails",
            name="agent",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="agents.agent",
            ),
        ),
        migrations.AddConstraint(
            model_name="legaldetails",
            constraint=models.UniqueConstraint(
                fields=("platform", "agent"), name="one_legal_details_per_agent"
            ),
        ),
    ]
