"""Complete backups: every row a platform is made of, restored into an empty database as it was.

The platform file (`exporting`) replays a platform through the services, which stamp their
own times; a backup keeps everything, numbers and times included: the ledger and its
projections, bookings, gatherings and registrations, invoices with their numbers and
counters, residency terms, applications with their steps, vouches and concerns, projects,
intents and matches, introductions, charter versions, proposals and comments,
notifications and their settings, catalogue versions, memberships and role histories,
saved forecasts and funders' links (their SHA-256 only, as the database keeps them).

People's accounts travel as invitations: each person's agent and e-mail address, never an
account, a password hash or a pending invitation's link (a link opens a door); restored,
each person gets a claim link (`tribu invite --platform SLUG --send`) that attaches the
account they create, or the one they already have on the instance, to their agent. An
instance backup (`--all --with-passwords`) carries the accounts with their hashes instead,
so that people log in as before; it says so in the file (`"passwords": true`). API tokens
never travel.

A restore writes the rows with their own ids, in one transaction, into a database that
holds no platform yet, and refuses otherwise: exporting the restored database gives a
byte-identical file.
"""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import TribuError
from tribu.platforms.invitations import _clean_email, claim_for
from tribu.platforms.models import Invitation, Platform

from .formats import FileError

FORMAT = "tribu-backup"
VERSION = 2  # 2: accounts travel as invitations unless the file carries the passwords
APPS = ("platforms", "agents", "ledger", "spaces", "community", "forecasts", "dossiers")
ACCOUNT_FIELDS = ("id", "username", "email", "first_name", "last_name", "is_active")
SECRET_FIELDS = ("password", "is_staff", "is_superuser", "last_login", "date_joined")
# Secrets that open a door (a calendar feed's token): only with the password hashes.
SECRET_TABLES = {"spaces.FeedToken"}


def models() -> list:
    """Every table of a platform (many-to-many links included), in a stable order."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in APPS
    ]
    return sorted(found, key=lambda model: model._meta.label)


def _user_columns(model) -> set[str]:
    """Columns that point at an account: empty in a file without the accounts."""
    return {
        f.column
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is get_user_model()
    }


def _scoped(model, platforms: list[int] | None, passwords: bool = True):
    rows = model._default_manager.all()
    if model is Invitation and not passwords:
        # A pending invitation's link opens a door; used ones are history.
        rows = rows.filter(accepted_at__isnull=False)
    if platforms is None:
        return rows
    if model is Platform:
        return rows.filter(pk__in=platforms)
    names = {f.attname for f in model._meta.concrete_fields}
    if "platform_id" in names:
        return rows.filter(platform_id__in=platforms)
    # A many-to-many link between agents: scoped by the agent it starts from.
    link = next(f for f in model._meta.concrete_fields if f.is_relation)
    return rows.filter(**{f"{link.name}__platform_id__in": platforms})


def _plain(value):
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, FieldFile):
        # A file's name (the photo itself is in the media folder, backed up beside).
        return value.name or ""
    return value


def _row(model, row, blank: set[str]) -> dict:
    return {
        f.column: None if f.column in blank else _plain(getattr(row, f.attname))
        for f in model._meta.concrete_fields
    }


def export_backup(platforms: list[Platform] | None = None, *, passwords: bool = False) -> dict:
    """The backup of `platforms`, or of the whole instance when None."""
    if passwords and platforms is not None:
        raise FileError(_("password hashes travel only in a backup of the whole instance"))
    ids = None if platforms is None else sorted(p.pk for p in platforms)
    tables = {}
    for model in models():
        if model._meta.label in SECRET_TABLES and not passwords:
            continue
        fields = model._meta.concrete_fields
        blank = set() if passwords else _user_columns(model)
        tables[model._meta.label] = [
            {
                f.column: None if f.column in blank else _plain(f.value_from_object(row))
                for f in fields
            }
            for row in _scoped(model, ids, passwords).order_by("pk")
        ]
    people = {"accounts": _accounts()} if passwords else {"invitations": _invitations(ids)}
    return {
        "format": FORMAT,
        "version": VERSION,
        "scope": "instance" if ids is None else "platforms",
        "platforms": sorted(row["slug"] for row in tables["platforms.Platform"]),
        "passwords": passwords,
        **people,
        "tables": tables,
    }


def _accounts() -> list[dict]:
    """Every account, password hash included (an instance backup with the passwords)."""
    users = get_user_model().objects.order_by("pk")
    names = ACCOUNT_FIELDS + SECRET_FIELDS
    return [{name: _plain(getattr(user, name)) for name in names} for user in users]


def _invitations(ids: list[int] | None) -> list[dict]:
    """One claim per person: the agent, and the e-mail address of its account (or of the
    claim link it is waiting for). A person without a valid address travels as a name."""
    agents = Agent.objects.all() if ids is None else Agent.objects.filter(platform_id__in=ids)
    emails = dict(agents.filter(user__isnull=False).values_list("pk", "user__email"))
    waiting = Invitation.objects.filter(
        agent__in=agents, agent__user__isnull=True, accepted_at__isnull=True
    ).order_by("pk")
    for agent, email in waiting.values_list("agent_id", "email"):
        emails.setdefault(agent, email)
    found = []
    for agent in sorted(emails):
        try:
            found.append({"agent": agent, "email": _clean_email(emails[agent])})
        except TribuError:
            continue
    return found


def restore_backup(data: dict, where) -> tuple[dict[str, int], list[Invitation]]:
    """Write a backup into a database that holds no platform yet; returns rows per table
    and the claim links that let people without their password log in again."""
    if data.get("version") != VERSION or not isinstance(data.get("tables"), dict):
        raise where.error(_("not a Tribu backup this version reads"))
    if Platform.objects.exists():
        raise where.error(_("a backup is restored into an empty database (this one has platforms)"))
    known = {model._meta.label: model for model in models()}
    unknown = sorted(set(data["tables"]) - set(known))
    if unknown:
        raise where.error(_("unknown table “%(t)s”") % {"t": unknown[0]})
    counts = {}
    with transaction.atomic():
        if data.get("passwords"):
            _restore_accounts(data.get("accounts") or [])
        for label, rows in data["tables"].items():
            _insert(known[label], rows)
            counts[label] = len(rows)
        _reset_sequences([get_user_model(), *known.values()])
        claims = _restore_invitations(data.get("invitations") or [], where)
    return counts, claims


def _restore_accounts(accounts: list[dict]) -> None:
    users = get_user_model()
    for account in accounts:
        fields = {name: account[name] for name in ACCOUNT_FIELDS + SECRET_FIELDS}
        if users.objects.filter(pk=fields["id"]).exists():
            continue
        users(**fields).save(force_insert=True)


def _restore_invitations(invitations: list[dict], where) -> list[Invitation]:
    """A claim link per person, through the invitation service: opening it attaches the
    account they create (or already have here) to their agent."""
    agents = Agent.objects.in_bulk([row.get("agent") for row in invitations])
    claims = []
    for row in invitations:
        agent = agents.get(row.get("agent"))
        if agent is None:
            raise where.error(_("an invitation names no agent of the backup"))
        try:
            claims.append(claim_for(agent, row.get("email") or ""))
        except TribuError as error:
            raise where.error(str(error)) from None
    return claims


def _insert(model, rows: list[dict]) -> None:
    if not rows:
        return
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = [
        [
            None
            if row.get(f.column) is None
            else f.get_db_prep_save(f.to_python(row[f.column]), connection)
            for f in fields
        ]
        for row in rows
    ]
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _reset_sequences(restored: list) -> None:
    """Rows came with their ids: move PostgreSQL's id sequences past them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), restored):
            cursor.execute(sql)
