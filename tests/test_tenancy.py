"""What distributing the database by platform needs (docs/scaling.md): every tenant table
carries `platform_id`, and no new uniqueness may span platforms.

Citus distributes tables by a column and requires every unique constraint (and every
foreign key between distributed tables) to include it. The uniqueness that does not yet
include `platform_id` is listed below, so that the list can only shrink: a new table or
constraint that breaks the rule fails here.
"""

from django.apps import apps
from django.db import models

TENANT_APPS = ("platforms", "agents", "ledger", "spaces", "community")
ROOT = "platforms.Platform"  # the tenant itself: distributed by its own id

# Uniqueness that spans platforms today, as (model, fields). Each is harmless on one
# database (the rows it relates belong to one platform) but must include `platform_id`
# before the tables are distributed.
KNOWN_GAPS = {
    ("agents.Agent_representatives", ("from_agent", "to_agent")),
    ("community.CharterComment", ("withdraws",)),
    ("community.CharterVersion", ("proposal",)),
    ("community.ConcernResolution", ("concern",)),
    ("community.Match", ("need", "offer")),
    ("community.NotificationPreference", ("agent",)),
    ("community.Vouch", ("application", "voucher")),
    ("ledger.Declaration", ("event",)),
    ("ledger.SpecificationValues", ("specification", "version")),
    ("platforms.Invitation", ("token",)),
    ("spaces.FeedToken", ("agent",)),
    ("spaces.FeedToken", ("token",)),
    ("spaces.Gathering", ("booking",)),
    ("spaces.Invoice", ("gathering",)),
    ("spaces.Registration", ("gathering", "agent")),
}


def tenant_models():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in TENANT_APPS and m._meta.label != ROOT
    ]


def uniques(model) -> set[tuple[str, ...]]:
    found = {(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    found |= {tuple(fields) for fields in model._meta.unique_together}
    found |= {
        tuple(c.fields)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields
    }
    return found


def test_every_tenant_table_carries_platform_id():
    missing = [
        m._meta.label
        for m in tenant_models()
        if "platform" not in {f.name for f in m._meta.concrete_fields}
        and not m._meta.auto_created  # many-to-many links: scoped by the rows they link
    ]
    assert missing == []


def test_no_new_uniqueness_spans_platforms():
    spanning = {
        (m._meta.label, fields)
        for m in tenant_models()
        for fields in uniques(m)
        if "platform" not in fields
    }
    assert spanning - KNOWN_GAPS == set(), "include platform in this unique constraint"
    assert KNOWN_GAPS - spanning == set(), "fixed: remove it from KNOWN_GAPS"
