"""A per-platform SHA-256 hash chain over the histories, as tamper-evident logs do.

Every new row of a history table gets a `HistoryLink` whose digest is
SHA-256(previous digest, table, canonical content of the row). `verify` recomputes the
chain from the rows as they are now; the head digest, published with an export, lets
anyone holding a copy check that nothing before it was changed.
"""

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import models, transaction
from django.db.models.signals import post_save

from tribu.platforms.models import MembershipChange, Platform
from tribu.spaces.models import InvoiceChange

from .models import EconomicEvent, EventStatusChange, HistoryLink, SpecificationValues

GENESIS = "0" * 64
CHAINED = (
    EconomicEvent,
    EventStatusChange,
    MembershipChange,
    SpecificationValues,
    InvoiceChange,
)


def _canonical(field: models.Field, value):
    """The same text for a value whether it comes from Python or from either engine."""
    value = field.to_python(value)
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1).scaleb(-field.decimal_places)))
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def content(instance: models.Model) -> str:
    fields = instance._meta.concrete_fields
    row = {f.attname: _canonical(f, getattr(instance, f.attname)) for f in fields}
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(previous: str, table: str, text: str) -> str:
    return hashlib.sha256(f"{previous}\n{table}\n{text}".encode()).hexdigest()


def head(platform: Platform) -> str:
    """The digest of the platform's newest link: what an export publishes."""
    last = HistoryLink.objects.filter(platform=platform).order_by("-seq").first()
    return last.digest if last else GENESIS


def _append(sender, instance, created, raw=False, **kwargs) -> None:
    if not created or raw:
        return
    table = sender._meta.db_table
    with transaction.atomic():
        # One writer at a time per platform: the chain has a single order.
        Platform.objects.select_for_update().filter(pk=instance.platform_id).exists()
        last = HistoryLink.objects.filter(platform_id=instance.platform_id).order_by("-seq")
        last = last.values_list("seq", "digest").first() or (0, GENESIS)
        HistoryLink.objects.create(
            platform_id=instance.platform_id,
            seq=last[0] + 1,
            table=table,
            row_id=instance.pk,
            digest=digest(last[1], table, content(instance)),
        )


def append_bulk(platform_id: int, rows: models.QuerySet) -> None:
    """Links for rows written in bulk (the import), in their order, as `_append` would."""
    table = rows.model._meta.db_table
    with transaction.atomic():
        Platform.objects.select_for_update().filter(pk=platform_id).exists()
        last = HistoryLink.objects.filter(platform_id=platform_id).order_by("-seq")
        seq, previous = last.values_list("seq", "digest").first() or (0, GENESIS)
        links = []
        for row in rows.order_by("pk"):
            seq, previous = seq + 1, digest(previous, table, content(row))
            links.append(
                HistoryLink(
                    platform_id=platform_id, seq=seq, table=table, row_id=row.pk, digest=previous
                )
            )
        HistoryLink.objects.bulk_create(links)


def connect() -> None:
    for model in CHAINED:
        post_save.connect(_append, sender=model, dispatch_uid=f"chain-{model._meta.db_table}")


def verify(platform: Platform) -> list[str]:
    """Problems found: links whose digest does not follow, rows without a link."""
    models_by_table = {m._meta.db_table: m for m in CHAINED}
    links = list(HistoryLink.objects.filter(platform=platform).order_by("seq"))
    rows = {
        table: model.objects.in_bulk([link.row_id for link in links if link.table == table])
        for table, model in models_by_table.items()
    }
    problems, previous = [], GENESIS
    for expected_seq, link in enumerate(links, start=1):
        row = rows[link.table].get(link.row_id) if link.table in rows else None
        if link.seq != expected_seq or row is None:
            problems.append(f"#{link.seq}")
        elif digest(previous, link.table, content(row)) != link.digest:
            problems.append(f"#{link.seq}")
        previous = link.digest
    for table, model in models_by_table.items():
        unlinked = model.objects.filter(platform=platform).exclude(
            pk__in=HistoryLink.objects.filter(platform=platform, table=table).values("row_id")
        )
        problems += [f"{table}:{pk}" for pk in unlinked.values_list("pk", flat=True)[:5]]
    return problems
