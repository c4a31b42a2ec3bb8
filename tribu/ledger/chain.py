"""A per-platform SHA-256 hash chain over the histories, as tamper-evident logs do.

Every new row of a history table gets a `HistoryLink` whose digest is
SHA-256(previous digest, table, canonical content of the row). `verify` recomputes the
chain from the rows as they are now; the head digest, published with an export, lets
anyone holding a copy check that nothing before it was changed.
"""

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import connection, models, transaction
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
_ENCODE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
_STRING = json.encoder.encode_basestring  # a string as `_ENCODE` writes it


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


def _json(value) -> str:
    """A canonical value as `json.dumps` writes it inside the row (`_ENCODE`)."""
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return _ENCODE(value)


# Values `to_python` returns as they are, by the field's kind: they skip `_canonical`.
_PLAIN = {
    "AutoField": int,
    "BigAutoField": int,
    "BigIntegerField": int,
    "ForeignKey": int,
    "IntegerField": int,
    "OneToOneField": int,
    "PositiveBigIntegerField": int,
    "PositiveIntegerField": int,
    "CharField": str,
    "TextField": str,
}


def _encoder(field: models.Field) -> Callable[[object], str]:
    """`_json(_canonical(field, value))`, with a short way for the usual values (hundreds of
    thousands of rows go through it in an import). Decimals, dates and times are written
    without escapes: their text has only digits, signs, points, colons and letters."""
    kind = field.get_internal_type()

    def slow(value) -> str:
        return _json(_canonical(field, value))

    # `to_python` returns None as it is for decimals, dates and times.
    if kind == "DecimalField":
        step = Decimal(1).scaleb(-field.decimal_places)
        return lambda v: (
            f'"{v.quantize(step)}"' if type(v) is Decimal else "null" if v is None else slow(v)
        )
    if kind == "DateTimeField":
        return lambda v: (
            f'"{v.astimezone(UTC).isoformat()}"'
            if type(v) is datetime
            else "null"
            if v is None
            else slow(v)
        )
    if kind == "DateField":
        return lambda v: (
            f'"{v.isoformat()}"' if type(v) is date else "null" if v is None else slow(v)
        )
    if kind == "BooleanField":  # `to_python` refuses None unless the field is nullable
        return lambda v: ("true" if v else "false") if type(v) is bool else slow(v)
    plain = _PLAIN.get(kind)
    if plain is str:
        return lambda v: _STRING(v) if type(v) is str else "null" if v is None else slow(v)
    if plain is int:
        return lambda v: int.__repr__(v) if type(v) is int else "null" if v is None else slow(v)
    return slow


@functools.cache
def _encoders(model: type[models.Model]) -> tuple[tuple[str, str, Callable], ...]:
    """Per column, sorted as `sort_keys` sorts them: its name, its key as JSON, its encoder."""
    fields = sorted(model._meta.concrete_fields, key=lambda f: f.attname)
    return tuple((f.attname, f"{_STRING(f.attname)}:", _encoder(f)) for f in fields)


@functools.cache
def _assembler(model: type[models.Model], order: tuple[str, ...] = ()) -> Callable:
    """`_text` for one model as a single expression, keys and commas written in as constants:
    a row's text is then one call per column and one concatenation (the import assembles
    hundreds of thousands of them). The function takes `get` (a value by column), or, given
    the columns' `order`, the row's values as a list in that order."""
    encoders = _encoders(model)
    scope = {f"e{i}": encode for i, (_name, _key, encode) in enumerate(encoders)}
    value = (lambda name: f"v[{order.index(name)}]") if order else (lambda name: f"v({name!r})")
    pieces = [
        f"{(',' if i else '{') + key!r} + e{i}({value(name)})"
        for i, (name, key, _encode) in enumerate(encoders)
    ]
    source = f"def text(v):\n    return {' + '.join(pieces)} + '}}'\n"
    exec(compile(source, f"<chain text of {model._meta.label}>", "exec"), scope)  # noqa: S102
    return scope["text"]


def text_of_values(model: type[models.Model], order: tuple[str, ...]) -> Callable[[list], str]:
    """`content_of` for rows given as lists of values, column by column in `order` (every
    column's `attname`): what the import's bulk writer holds."""
    if sorted(order) != sorted(f.attname for f in model._meta.concrete_fields):
        raise ValueError(f"{model._meta.label}: every column, once, is needed")
    return _assembler(model, tuple(order))


def content(instance: models.Model) -> str:
    return _text(type(instance), functools.partial(getattr, instance))


def content_of(model: type[models.Model], values: Mapping[str, object]) -> str:
    """`content` of a row from its values by column (`attname`), without an instance: the
    import computes the links of the rows it writes in bulk without reading them back."""
    return _assembler(model)(values.get)


def _text(model: type[models.Model], get: Callable) -> str:
    """The row's canonical values as one JSON object, keys sorted, no spaces: what
    `json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))` writes,
    assembled column by column (three times faster)."""
    return _assembler(model)(get)


def digest(previous: str, table: str, text: str) -> str:
    return hashlib.sha256(f"{previous}\n{table}\n{text}".encode()).hexdigest()


def head(platform: Platform) -> str:
    """The digest of the platform's newest link: what an export publishes."""
    last = _newest_first(platform.pk).first()
    return last.digest if last else GENESIS


def _newest_first(platform_id: int):
    """The platform's links, newest first, read backwards along its (platform, seq) key."""
    return HistoryLink.objects.filter(platform_id=platform_id).order_by("-seq")


def _tail(platform_id: int) -> tuple[int, str]:
    """The platform's last link (seq, digest), its chain locked until the transaction ends:
    one writer at a time per platform, for the chain has a single order."""
    Platform.objects.select_for_update().filter(pk=platform_id).exists()
    return _newest_first(platform_id).values_list("seq", "digest").first() or (0, GENESIS)


# Three queries per row saved by the services (lock, last link, insert). Linking a service's
# rows once at the end of its transaction would save two per row, but Django runs nothing
# inside a transaction just before it commits (`on_commit` is after: too late for
# all-or-nothing), and rows saved in a savepoint later rolled back would have to leave the
# queue: the bulk writers call `link` themselves instead.
def _append(sender, instance, created, raw=False, **kwargs) -> None:
    if not created or raw:
        return
    table = sender._meta.db_table
    with transaction.atomic():
        seq, previous = _tail(instance.platform_id)
        HistoryLink.objects.create(
            platform_id=instance.platform_id,
            seq=seq + 1,
            table=table,
            row_id=instance.pk,
            digest=digest(previous, table, content(instance)),
        )


def link(platform_id: int, rows: Iterable[tuple[str, int, str]]) -> None:
    """Links for rows written in bulk, given as (table, id, content) in their order, after
    the platform's last link: what `_append` would have written for each, in one statement."""
    with transaction.atomic():
        seq, previous = _tail(platform_id)
        links = []
        for table, row_id, text in rows:
            seq, previous = seq + 1, digest(previous, table, text)
            links.append((platform_id, seq, table, row_id, previous))
        _insert_links(links)


def _insert_links(links: list[tuple]) -> None:
    if not links:
        return
    columns = 'platform_id, seq, "table", row_id, digest'
    name = HistoryLink._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                for row in links:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {name} ({columns}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
        cursor.executemany(sql, links)


def append_bulk(platform_id: int, rows: models.QuerySet) -> None:
    """Links for rows already written in bulk (the generated ledgers), in their order."""
    table = rows.model._meta.db_table
    link(platform_id, ((table, row.pk, content(row)) for row in rows.order_by("pk")))


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
