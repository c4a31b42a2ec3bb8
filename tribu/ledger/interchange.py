"""Platform files in and out: a lossless JSON export, and an import that is one more front door.

The import calls the services a person's clicks call (create_platform, add_agent, set_role,
represent, edit_catalogue, add_resource, record_event, confirm_event, dispute_event,
correct_event), so a file is checked exactly as if someone typed it in. It runs in one
transaction: a file that is half valid imports nothing. Every event has a key (the ledger's
`import_key`); a key already in the ledger is skipped, so importing a file twice changes
nothing. The format is documented in docs/import-format.md.

An export replays into an empty database as the same platform: exporting what was just
imported gives a byte-identical file. What the services stamp themselves and cannot be
replayed (when the platform, a catalogue version or a role change was created, logins) is
left out of the file; the ledger's own times (recorded_at, status changes) are kept.
"""

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import TribuError
from tribu.platforms.models import MembershipChange, Platform
from tribu.platforms.services import (
    PLATFORM_FIELDS,
    add_agent,
    create_platform,
    represent,
    set_role,
)

from .catalogue import RANGED, _carried_over, check_values, current_values, edit_catalogue
from .models import (
    CatalogueVersion,
    EconomicEvent,
    EconomicResource,
    EventState,
    EventStatusChange,
    ResourceSpecification,
    SpecificationValues,
    Status,
)
from .services import (
    RECORDING_ROLES,
    Flow,
    confirm_event,
    correct_event,
    dispute_event,
    record_event,
    role_of,
)

FORMAT = "tribu-platform"
FORMAT_VERSION = 1
PROGRESS_EVERY = 1000
JSON_LINES_LIMIT = 5_000_000  # characters
LEVELS = ("low", "central", "high")
VALUE_FIELDS = tuple(f"{name}_{level}" for name in RANGED for level in LEVELS)
SPEC_IDENTITY = ("slug", "name_fr", "name_en", "unit", "market", "headline", "cvn_account")
SPEC_KEYS = set(SPEC_IDENTITY) | set(VALUE_FIELDS) | {"source", "source_date", "currency"}
OVERRIDE_KEYS = set(VALUE_FIELDS) | {"source", "source_date"}
ROOT_KEYS = {
    "format",
    "version",
    "platform",
    "agents",
    "catalogue",
    "resources",
    "events",
    "events_csv",
}
PLATFORM_KEYS = PLATFORM_FIELDS | {"slug", "place", "host"}
AGENT_KEYS = {
    "slug",
    "name",
    "kind",
    "role",
    "role_history",
    "represents",
    "is_public",
    "bio",
    "email",
}
CATALOGUE_KEYS = {"note", "created_by", "specifications", "overrides", "versions"}
VERSION_KEYS = {"number", "note", "created_by", "specifications", "overrides"}
RESOURCE_KEYS = {"slug", "name", "kind", "spec", "capacity", "beds", "note"}
EVENT_KEYS = {
    "key",
    "action",
    "provider",
    "receiver",
    "spec",
    "resource",
    "quantity",
    "unit",
    "date",
    "begin",
    "end",
    "note",
    "evidence",
    "money_amount",
    "currency",
    "declared_value",
    "effort_quantity",
    "recorded_by",
    "recorded_at",
    "status",
    "confirmed_by",
    "confirmed_at",
    "disputed_by",
    "disputed_at",
    "reason",
    "corrects",
    "source",
    "status_history",
    "occurred_on",
}
CSV_REQUIRED = ("key", "provider", "receiver", "spec", "quantity", "recorded_by")


class FileError(TribuError):
    """Bad input in a file: the message names the file, the line where known, and the field."""


@dataclass(frozen=True)
class Where:
    """A place in an input file, for error messages: file, line (when known), field path."""

    file: str
    line: int | None = None
    field: str = ""

    def at(self, name: str, item=None) -> "Where":
        path = (
            f"{self.field}{name}"
            if name.startswith("[") or not self.field
            else f"{self.field}.{name}"
        )
        return Where(self.file, getattr(item, "line", None) or self.line, path)

    def error(self, message: str) -> FileError:
        prefix = self.file
        if self.line:
            prefix += ", " + _("line %(n)s") % {"n": self.line}
        if self.field:
            prefix += ": " + self.field
        return FileError(f"{prefix}: {message}")


# --- reading files --------------------------------------------------------------


class Located(dict):
    """A mapping read from YAML that remembers the line it starts on."""

    line: int | None = None


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader (libyaml's when installed), with mappings that know their line."""


def _located_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    mapping = Located(loader.construct_pairs(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _located_mapping)


def load_file(path: Path) -> dict:
    """A platform file (JSON or YAML, by extension) as a mapping; syntax errors name the line."""
    where = Where(path.name)
    text = _read_text(path, where)
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = _with_lines(text, json.loads(text))
        except json.JSONDecodeError as exc:
            raise Where(path.name, exc.lineno).error(
                _("malformed JSON: %(msg)s (column %(col)s)") % {"msg": exc.msg, "col": exc.colno}
            ) from exc
    elif suffix in (".yaml", ".yml"):
        try:
            data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise Where(path.name, mark.line + 1 if mark else None).error(
                _("malformed YAML: %(msg)s") % {"msg": exc.problem or exc.context}
            ) from exc
    else:
        raise where.error(_("unknown file type (expected .json, .yaml, .yml or .csv)"))
    if not isinstance(data, dict):
        raise where.error(
            _("expected a mapping (platform, agents, catalogue, events…) at the top level")
        )
    return data


def _with_lines(text: str, data):
    """The JSON data, with line numbers when reading it as YAML gives exactly the same data.

    JSON's parser gives no positions; most JSON is also YAML, whose loader does. Big files
    (exports of large ledgers) are not parsed twice: their errors name the field only."""
    if len(text) > JSON_LINES_LIMIT:
        return data
    try:
        located = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        return data
    return located if located == data else data


def _read_text(path: Path, where: Where) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise where.error(_("cannot read the file (%(e)s)") % {"e": exc}) from exc


def read_events_csv(path: Path, label: str | None = None) -> list[tuple[Where, dict]]:
    """The rows of a CSV events table, each with its place (file and line) for errors."""
    label = label or path.name
    text = _read_text(path, Where(label))
    reader = csv.DictReader(text.splitlines())
    rows = []
    try:
        _check_header(reader.fieldnames or [], Where(label, 1))
        for row in reader:
            where = Where(label, reader.line_num)
            if None in row:
                raise where.error(_("more values than columns"))
            rows.append(
                (where, {k: v.strip() for k, v in row.items() if v is not None and v.strip() != ""})
            )
    except csv.Error as exc:
        raise Where(label, reader.line_num).error(_("malformed CSV: %(e)s") % {"e": exc}) from exc
    return rows


def _check_header(columns: list[str], where: Where) -> None:
    unknown = [c for c in columns if c not in EVENT_KEYS or c == "status_history"]
    if unknown:
        raise where.error(_("unknown column “%(c)s”") % {"c": unknown[0]})
    missing = [c for c in CSV_REQUIRED if c not in columns]
    if missing:
        raise where.error(_("missing column “%(c)s”") % {"c": missing[0]})


# --- small checks on values ---------------------------------------------------------


def _mapping(value, where: Where) -> dict:
    if not isinstance(value, dict):
        raise where.error(_("expected a mapping"))
    return value


def _list(value, where: Where) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise where.error(_("expected a list"))
    return value


def _keys(item: dict, allowed: set[str], where: Where) -> None:
    unknown = sorted(str(k) for k in item if k not in allowed)
    if unknown:
        raise where.error(_("unknown field “%(f)s”") % {"f": unknown[0]})


def _text(item: dict, name: str, where: Where, required: bool = False) -> str:
    value = item.get(name)
    if value is None or value == "":
        if required:
            raise where.at(name).error(_("missing"))
        return ""
    if isinstance(value, (dict, list)):
        raise where.at(name).error(_("expected text"))
    return str(value)


def _bool(item: dict, name: str, where: Where, default: bool) -> bool:
    value = item.get(name, default)
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    if not isinstance(value, bool):
        raise where.at(name).error(_("expected true or false"))
    return value


def _number(item: dict, name: str, where: Where) -> Decimal | None:
    value = item.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise where.at(name).error(_("“%(v)s” is not a number") % {"v": value})
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise where.at(name).error(_("“%(v)s” is not a number") % {"v": value}) from exc
    if not number.is_finite():
        raise where.at(name).error(_("must be a finite number"))
    return number


def _zone(platform: Platform) -> ZoneInfo:
    try:
        return ZoneInfo(platform.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _moment(item: dict, name: str, where: Where, zone: ZoneInfo, *, dates: bool = False):
    """A datetime (naive ones are in the platform's time zone), or a date when `dates`."""
    value = item.get(name)
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str):
            value = (
                date.fromisoformat(value)
                if dates and len(value) == 10
                else datetime.fromisoformat(value)
            )
        if isinstance(value, datetime):
            return value if timezone.is_aware(value) else value.replace(tzinfo=zone)
        if isinstance(value, date) and dates:
            return value
    except ValueError:
        pass
    expected = "YYYY-MM-DD or YYYY-MM-DDTHH:MM" if dates else "YYYY-MM-DDTHH:MM[:SS][+HH:MM]"
    raise where.at(name).error(
        _("“%(v)s” is not a valid date (expected %(f)s)") % {"v": value, "f": expected}
    )


# --- the import -----------------------------------------------------------------


@dataclass
class Summary:
    """What an import did (or, in a dry run, would do)."""

    platform: str = ""
    created_platform: bool = False
    agents: int = 0
    roles: int = 0
    representations: int = 0
    catalogue_versions: int = 0
    resources: int = 0
    events: int = 0
    status_changes: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        counts = (
            self.agents,
            self.roles,
            self.representations,
            self.catalogue_versions,
            self.resources,
            self.events,
            self.status_changes,
        )
        return self.created_platform or any(counts)


Progress = Callable[[int, int], None]


class Importer:
    """Replays one file through the services, in order: platform, agents and their roles,
    catalogue, resources, events and their statuses, then the roles that take recording
    rights away (an alumna's past events were recorded while she was a resident)."""

    def __init__(self, where: Where, base_dir: Path, progress: Progress | None = None):
        self.where = where
        self.base_dir = base_dir
        self.progress = progress
        self.summary = Summary()
        self.deferred_roles: list[tuple[Agent, dict, Where]] = []
        self.agents: dict[str, Agent] = {}

    # platform file ------------------------------------------------------------

    def run(self, data: dict) -> Summary:
        _keys(data, ROOT_KEYS, self.where)
        self.check_format(data)
        platform = self.platform(data)
        self.add_agents(platform, _list(data.get("agents"), self.where.at("agents")))
        self.catalogue(platform, data.get("catalogue"))
        self.resources(platform, _list(data.get("resources"), self.where.at("resources")))
        self.events(platform, self.collect_events(data))
        self.apply_deferred_roles()
        return self.summary

    def check_format(self, data: dict) -> None:
        """Hand-written files need not say their format; exports do, and must be readable."""
        if data.get("format", FORMAT) != FORMAT:
            raise self.where.at("format", data).error(
                _("“%(f)s” is not a Tribu platform file") % {"f": data["format"]}
            )
        if not isinstance(data.get("version", 1), int) or data.get("version", 1) > FORMAT_VERSION:
            raise self.where.at("version", data).error(
                _("version %(v)s is newer than this Tribu reads (%(max)s)")
                % {"v": data["version"], "max": FORMAT_VERSION}
            )

    def platform(self, data: dict) -> Platform:
        where = self.where.at("platform", data.get("platform"))
        block = _mapping(data.get("platform"), where)
        _keys(block, PLATFORM_KEYS, where)
        slug = _text(block, "slug", where, required=True)
        self.summary.platform = slug
        existing = Platform.objects.filter(slug=slug).first()
        if existing:
            self.summary.notes.append(
                _("platform “%(slug)s” already exists: its settings are kept") % {"slug": slug}
            )
            return existing
        for required in ("name", "cause_title"):
            _text(block, required, where, required=True)
        fields = {
            name: self.platform_field(block, name, where)
            for name in PLATFORM_FIELDS
            if name in block
        }
        host = self.host_of(block, data, where)
        try:
            platform = create_platform(
                slug,
                place_name=_text(block, "place", where),
                host=host,
                catalogue_rows=self.first_version_rows(data),
                catalogue_note=self.first_version_note(data),
                **fields,
            )
        except TribuError as exc:
            raise where.error(str(exc)) from exc
        self.summary.created_platform = True
        return platform

    @staticmethod
    def platform_field(block: dict, name: str, where: Where):
        model_field = Platform._meta.get_field(name)
        value = block[name]
        try:
            if name == "time_zone":
                ZoneInfo(str(value))
            return model_field.clean(value, None)
        except Exception as exc:  # Django's ValidationError, unknown zones, conversions
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise where.at(name).error(
                _("invalid value “%(v)s” (%(why)s)") % {"v": value, "why": messages[0]}
            ) from exc

    def host_of(self, block: dict, data: dict, where: Where) -> dict | None:
        slug = _text(block, "host", where)
        if not slug:
            return None
        items = [
            a
            for a in _list(data.get("agents"), self.where.at("agents"))
            if isinstance(a, dict) and str(a.get("slug")) == slug
        ]
        if not items:
            raise where.at("host").error(_("no agent “%(slug)s” in agents") % {"slug": slug})
        item = items[0]
        if item.get("kind", AgentKind.ORGANIZATION) != AgentKind.ORGANIZATION:
            raise where.at("host").error(_("the host must be an organization"))
        agent_where = self.where.at("agents", item)
        return {
            "slug": slug,
            "name": _text(item, "name", agent_where, required=True),
            "is_public": _bool(item, "is_public", agent_where, False),
            "bio": _text(item, "bio", agent_where),
        }

    # agents --------------------------------------------------------------------

    def add_agents(self, platform: Platform, items: list) -> None:
        self.agents = {a.slug: a for a in Agent.objects.filter(platform=platform)}
        self.emails: dict[str, str] = {}
        located = [(self.where.at(f"agents[{i}]", item), item) for i, item in enumerate(items)]
        for where, item in located:
            self.add_agent(platform, _mapping(item, where), where)
        for where, item in located:
            self.roles(self.agents[str(item["slug"])], item, where)
        for where, item in located:
            self.represents(self.agents[str(item["slug"])], item, where)
        self.claims()

    def claims(self) -> None:
        """People created with an e-mail get a claim link (`tribu invite` sends them)."""
        from tribu.platforms.invitations import claim_for

        for slug, email in self.emails.items():
            if email:
                try:
                    claim_for(self.agents[slug], email)
                except TribuError as exc:
                    raise self.where.at("agents").error(f"{slug}: {exc}") from exc

    def add_agent(self, platform: Platform, item: dict, where: Where) -> None:
        _keys(item, AGENT_KEYS, where)
        slug = _text(item, "slug", where, required=True)
        if slug in self.agents:
            return
        kind = _text(item, "kind", where) or AgentKind.PERSON
        if kind not in AgentKind.values:
            raise where.at("kind").error(
                _("unknown kind “%(k)s” (expected person or organization)") % {"k": kind}
            )
        try:
            self.agents[slug] = add_agent(
                platform,
                slug=slug,
                name=_text(item, "name", where, required=True),
                kind=kind,
                is_public=_bool(item, "is_public", where, False),
                bio=_text(item, "bio", where),
            )
        except TribuError as exc:
            raise where.error(str(exc)) from exc
        self.summary.agents += 1
        self.emails[slug] = _text(item, "email", where)

    def agent(self, slug: str, where: Where) -> Agent:
        agent = self.agents.get(slug)
        if agent is None:
            raise where.error(_("no agent “%(slug)s” in this platform") % {"slug": slug})
        return agent

    def roles(self, agent: Agent, item: dict, where: Where) -> None:
        if item.get("role_history") is not None:
            todo = self.history_to_replay(agent, item, where)
        elif item.get("role"):
            role = _text(item, "role", where)
            todo = [] if role_of(agent) == role else [{"role": role}]
        else:
            return
        # Roles without recording rights come after the events this agent recorded.
        keep = len(todo)
        while keep and todo[keep - 1].get("role") not in RECORDING_ROLES:
            keep -= 1
        for entry in todo[:keep]:
            self.set_role(agent, entry, where)
        self.deferred_roles += [(agent, entry, where) for entry in todo[keep:]]

    def history_to_replay(self, agent: Agent, item: dict, where: Where) -> list[dict]:
        history = _list(item["role_history"], where.at("role_history"))
        for index, entry in enumerate(history):
            _keys(
                _mapping(entry, where.at(f"role_history[{index}]", entry)),
                {"role", "previous_role", "by", "reason"},
                where.at(f"role_history[{index}]"),
            )
        recorded = list(
            MembershipChange.objects.filter(membership__agent=agent)
            .order_by("at", "id")
            .values_list("role", flat=True)
        )
        wanted = [str(entry.get("role")) for entry in history]
        if recorded[: len(wanted)] == wanted:  # an older export: nothing new
            return []
        if wanted[: len(recorded)] != recorded:
            raise where.at("role_history").error(
                _("does not continue the roles already recorded (%(roles)s)")
                % {"roles": " → ".join(recorded)}
            )
        return list(history[len(recorded) :])

    def set_role(self, agent: Agent, entry: dict, where: Where) -> None:
        by = self.agent(str(entry["by"]), where.at("role_history")) if entry.get("by") else None
        try:
            set_role(agent, str(entry.get("role")), by=by, reason=str(entry.get("reason") or ""))
        except TribuError as exc:
            raise where.at("role").error(str(exc)) from exc
        self.summary.roles += 1

    def apply_deferred_roles(self) -> None:
        for agent, entry, where in self.deferred_roles:
            self.set_role(agent, entry, where)

    def represents(self, person: Agent, item: dict, where: Where) -> None:
        for slug in _list(item.get("represents"), where.at("represents")):
            organization = self.agent(str(slug), where.at("represents"))
            if not organization.is_organization:
                raise where.at("represents").error(
                    _("“%(slug)s” is not an organization") % {"slug": slug}
                )
            if organization.representatives.filter(pk=person.pk).exists():
                continue
            try:
                represent(organization, person)
            except TribuError as exc:
                raise where.at("represents").error(str(exc)) from exc
            self.summary.representations += 1

    # catalogue -------------------------------------------------------------------

    def first_version_rows(self, data: dict) -> list[dict] | None:
        """Version 1 of an exported catalogue, in the default catalogue's row format."""
        block = data.get("catalogue")
        if not isinstance(block, dict) or not block.get("versions"):
            return None
        where = self.where.at("catalogue.versions[0]")
        first = _mapping(block["versions"][0], where)
        return [
            self.spec_row(spec, where.at(f"specifications[{i}]", spec))
            for i, spec in enumerate(_list(first.get("specifications"), where.at("specifications")))
        ]

    def first_version_note(self, data: dict) -> str | None:
        """The note of an exported version 1, kept as written (not re-translated)."""
        block = data.get("catalogue")
        if not isinstance(block, dict) or not block.get("versions"):
            return None
        first = _mapping(block["versions"][0], self.where.at("catalogue.versions[0]"))
        return _text(first, "note", self.where.at("catalogue.versions[0]"))

    def spec_row(self, spec, where: Where) -> dict:
        spec = _mapping(spec, where)
        _keys(spec, SPEC_KEYS, where)
        row = {
            name: _text(spec, name, where, required=name != "cvn_account")
            for name in SPEC_IDENTITY
            if name not in ("market", "headline")
        }
        row["market"] = "true" if _bool(spec, "market", where, False) else "false"
        row["headline"] = "true" if _bool(spec, "headline", where, True) else "false"
        row.update(self.values_change(spec, where))
        self.check_change(row["slug"], None, row, where)
        return row

    @staticmethod
    def values_change(item: dict, where: Where) -> dict:
        change = {name: _number(item, name, where) for name in VALUE_FIELDS if name in item}
        if "source" in item:
            change["source"] = _text(item, "source", where)
        if item.get("source_date"):
            day = _moment(item, "source_date", where, ZoneInfo("UTC"), dates=True)
            change["source_date"] = day.isoformat()
        return change

    def catalogue(self, platform: Platform, block) -> None:
        if block is None:
            return
        where = self.where.at("catalogue", block)
        block = _mapping(block, where)
        _keys(block, CATALOGUE_KEYS, where)
        if "versions" in block:
            self.catalogue_versions(platform, _list(block["versions"], where.at("versions")), where)
        else:
            self.catalogue_version(platform, block, where, skip_unchanged=True)

    def catalogue_versions(self, platform: Platform, versions: list, where: Where) -> None:
        have = CatalogueVersion.objects.filter(platform=platform).count()
        for index, version in enumerate(versions):
            version_where = where.at(f"versions[{index}]", version)
            _keys(_mapping(version, version_where), VERSION_KEYS, version_where)
            if index >= have:
                self.catalogue_version(platform, version, version_where, skip_unchanged=False)

    def catalogue_version(
        self, platform: Platform, block: dict, where: Where, *, skip_unchanged: bool
    ) -> None:
        existing = set(
            ResourceSpecification.objects.filter(platform=platform).values_list("slug", flat=True)
        )
        new_specs, changes = [], {}
        for index, spec in enumerate(
            _list(block.get("specifications"), where.at("specifications"))
        ):
            row = self.spec_row(spec, where.at(f"specifications[{index}]", spec))
            if row["slug"] in existing:
                changes[row["slug"]] = {k: row[k] for k in OVERRIDE_KEYS if k in row}
            else:
                new_specs.append(row)
        overrides = block.get("overrides") or {}
        in_force = {v.specification.slug: v for v in current_values(platform.pk).values()}
        for slug, change in _mapping(overrides, where.at("overrides")).items():
            change_where = where.at(f"overrides.{slug}", change)
            _keys(_mapping(change, change_where), OVERRIDE_KEYS, change_where)
            if str(slug) not in in_force:
                raise change_where.error(
                    _("no specification “%(slug)s” in this platform") % {"slug": slug}
                )
            changes[str(slug)] = self.values_change(change, change_where)
            self.check_change(str(slug), in_force[str(slug)], changes[str(slug)], change_where)
        if skip_unchanged:
            changes = {
                slug: change
                for slug, change in changes.items()
                if self.changes_something(in_force.get(slug), change)
            }
        if not (new_specs or changes) and skip_unchanged:
            return
        created_by = (
            self.agent(str(block["created_by"]), where.at("created_by"))
            if block.get("created_by")
            else None
        )
        try:
            edit_catalogue(
                platform,
                created_by,
                changes,
                note=_text(block, "note", where),
                new_specifications=new_specs,
            )
        except TribuError as exc:
            raise where.error(str(exc)) from exc
        self.summary.catalogue_versions += 1

    @staticmethod
    def check_change(slug: str, previous, change: dict, where: Where) -> None:
        try:
            check_values(slug, _carried_over(previous, change))
        except TribuError as exc:
            raise where.error(str(exc)) from exc

    @staticmethod
    def changes_something(previous, change: dict) -> bool:
        """Whether an override changes the values in force (a second import adds nothing)."""
        if previous is None:
            return True
        fields = _carried_over(previous, change)
        return any(fields[name] != getattr(previous, name) for name in fields)

    # resources -----------------------------------------------------------------------

    def resources(self, platform: Platform, items: list) -> None:
        from tribu.spaces.services import add_resource

        have = set(
            EconomicResource.objects.filter(platform=platform).values_list("slug", flat=True)
        )
        for index, item in enumerate(items):
            where = self.where.at(f"resources[{index}]", item)
            _keys(_mapping(item, where), RESOURCE_KEYS, where)
            slug = _text(item, "slug", where, required=True)
            if slug in have:
                continue
            try:
                add_resource(
                    platform,
                    slug=slug,
                    name=_text(item, "name", where, required=True),
                    kind=_text(item, "kind", where, required=True),
                    spec=_text(item, "spec", where),
                    capacity=int(item.get("capacity", 1)),
                    beds=int(item.get("beds", 0)),
                    note=_text(item, "note", where),
                )
            except (TribuError, TypeError, ValueError) as exc:
                raise where.error(str(exc)) from exc
            self.summary.resources += 1

    # events --------------------------------------------------------------------------

    def collect_events(self, data: dict) -> list[tuple[Where, dict]]:
        rows = []
        for index, item in enumerate(_list(data.get("events"), self.where.at("events"))):
            where = self.where.at(f"events[{index}]", item)
            rows.append((where, _mapping(item, where)))
        tables = data.get("events_csv")
        for index, name in enumerate(
            [tables] if isinstance(tables, str) else _list(tables, self.where.at("events_csv"))
        ):
            path = self.base_dir / str(name)
            if not path.is_file():
                raise self.where.at(f"events_csv[{index}]").error(
                    _("no file “%(p)s”") % {"p": name}
                )
            rows += read_events_csv(path, str(name))
        return rows

    def events(self, platform: Platform, rows: list[tuple[Where, dict]]) -> None:
        self.agents = self.agents or {a.slug: a for a in Agent.objects.filter(platform=platform)}
        ledger = EventLoader(self, platform)
        total = len(rows)
        for done, (where, row) in enumerate(rows, 1):
            ledger.load(row, where)
            if self.progress and (done % PROGRESS_EVERY == 0 or done == total):
                self.progress(done, total)


class EventLoader:
    """Records the events of a file, one by one, through the ledger services."""

    def __init__(self, importer: Importer, platform: Platform):
        self.importer = importer
        self.platform = platform
        self.summary = importer.summary
        self.zone = _zone(platform)
        self.specs = {s.slug: s for s in ResourceSpecification.objects.filter(platform=platform)}
        self.resources = {r.slug: r for r in EconomicResource.objects.filter(platform=platform)}
        self.known = {
            key or f"event-{pk}": (pk, key, at)
            for pk, key, at in EconomicEvent.objects.filter(platform=platform).values_list(
                "pk", "import_key", "recorded_at"
            )
        }
        self.seen: set[str] = set()

    def load(self, row: dict, where: Where) -> None:
        _keys(row, EVENT_KEYS, where)
        key = _text(row, "key", where, required=True)
        if key in self.seen:
            raise where.at("key").error(_("“%(k)s” appears twice in this import") % {"k": key})
        self.seen.add(key)
        if key in self.known:
            self.check_same(key, row, where)
            self.summary.skipped += 1
            return
        history = _list(row.get("status_history"), where.at("status_history"))
        event = self.record(row, where, history)
        self.known[key] = (event.pk, key, event.recorded_at)
        if history:
            self.replay(event, history[1:], where)
        else:
            self.set_status(event, row, where)

    def check_same(self, key: str, row: dict, where: Where) -> None:
        """A derived key (`event-<id>`, from an export of events recorded without a key)
        matches only the very event it was exported from."""
        pk, import_key, recorded_at = self.known[key]
        stated = _moment(row, "recorded_at", where, self.zone)
        if import_key is None and stated is not None and stated != recorded_at:
            raise where.at("key").error(
                _("“%(k)s” names another event in this database") % {"k": key}
            )

    def record(self, row: dict, where: Where, history: list) -> EconomicEvent:
        recorder = self.importer.agent(
            _text(row, "recorded_by", where, required=True), where.at("recorded_by")
        )
        flow = self.flow(row, where)
        first = history[0] if history else {}
        system = isinstance(first, dict) and first.get("status") == Status.CONFIRMED
        corrects = self.corrected(row, where)
        try:
            if corrects is not None:
                event = correct_event(corrects, recorder, flow, system=system)
            else:
                event, _created = record_event(self.platform, recorder, flow, system=system)
        except TribuError as exc:
            raise where.error(str(exc)) from exc
        self.summary.events += 1
        return event

    def flow(self, row: dict, where: Where) -> Flow:
        provider, receiver = (
            self.importer.agent(_text(row, side, where, required=True), where.at(side))
            for side in ("provider", "receiver")
        )
        specification = self.spec(_text(row, "spec", where, required=True), where)
        quantity = _number(row, "quantity", where)
        begin = _moment(row, "begin", where, self.zone)
        occurred = begin or _moment(row, "date", where, self.zone, dates=True)
        if occurred is None:
            raise where.at("date").error(_("missing (give date, or begin and end)"))
        return Flow(
            action=_text(row, "action", where) or "use",
            provider=provider,
            receiver=receiver,
            specification=specification,
            quantity=quantity,
            occurred=occurred,
            ends=_moment(row, "end", where, self.zone),
            note=_text(row, "note", where),
            evidence=_text(row, "evidence", where),
            money_amount=_number(row, "money_amount", where),
            declared_value=_number(row, "declared_value", where),
            effort_quantity=_number(row, "effort_quantity", where),
            import_key=_text(row, "key", where),
            source=_text(row, "source", where),
            resource=self.resource(_text(row, "resource", where), where),
            recorded_at=_moment(row, "recorded_at", where, self.zone),
        )

    def spec(self, slug: str, where: Where) -> ResourceSpecification:
        if slug not in self.specs:
            raise where.at("spec").error(
                _("no specification “%(slug)s” in this platform") % {"slug": slug}
            )
        return self.specs[slug]

    def resource(self, slug: str, where: Where) -> EconomicResource | None:
        if not slug:
            return None
        if slug not in self.resources:
            raise where.at("resource").error(
                _("no resource “%(slug)s” in this platform") % {"slug": slug}
            )
        return self.resources[slug]

    def corrected(self, row: dict, where: Where) -> EconomicEvent | None:
        key = _text(row, "corrects", where)
        if not key:
            return None
        if key not in self.known:
            raise where.at("corrects").error(
                _("no event with key “%(k)s” in this platform") % {"k": key}
            )
        return EconomicEvent.objects.get(platform=self.platform, pk=self.known[key][0])

    def set_status(self, event: EconomicEvent, row: dict, where: Where) -> None:
        status = _text(row, "status", where) or Status.PROPOSED
        if status == Status.PROPOSED:
            return
        if status not in Status.values:
            raise where.at("status").error(
                _("unknown status “%(s)s” (expected proposed, confirmed or disputed)")
                % {"s": status}
            )
        name = "confirmed" if status == Status.CONFIRMED else "disputed"
        entry = {
            "status": status,
            "by": _text(row, f"{name}_by", where),
            "at": row.get(f"{name}_at"),
            "reason": row.get("reason"),
        }
        if not entry["by"]:
            question = _("who confirmed it?") if name == "confirmed" else _("who disputed it?")
            raise where.at(f"{name}_by").error(_("missing") + f" ({question})")
        self.change(event, entry, where.at(f"{name}_by"))

    def replay(self, event: EconomicEvent, entries: list, where: Where) -> None:
        for index, entry in enumerate(entries, 1):
            entry_where = where.at(f"status_history[{index}]", entry)
            _keys(_mapping(entry, entry_where), {"status", "by", "reason", "at"}, entry_where)
            self.change(event, entry, entry_where)

    def change(self, event: EconomicEvent, entry: dict, where: Where) -> None:
        actor = self.importer.agent(str(entry.get("by") or ""), where)
        at = _moment(entry, "at", where, self.zone)
        try:
            if entry.get("status") == Status.CONFIRMED:
                confirm_event(event, actor, at=at)
            elif entry.get("status") == Status.DISPUTED:
                dispute_event(event, actor, str(entry.get("reason") or ""), at=at)
            else:
                raise TribuError(
                    _("status: an event cannot go back to “%(s)s”") % {"s": entry.get("status")}
                )
        except TribuError as exc:
            raise where.error(str(exc)) from exc
        self.summary.status_changes += 1


def _run(work: Callable[[], Summary], dry_run: bool) -> Summary:
    with transaction.atomic():
        summary = work()
        if dry_run:
            transaction.set_rollback(True)
    return summary


def import_file(path: Path, *, dry_run: bool = False, progress: Progress | None = None) -> Summary:
    """Import a platform file (JSON or YAML): all of it, or nothing."""
    where = Where(path.name)
    data = load_file(path)
    importer = Importer(where, path.parent, progress)
    return _run(lambda: importer.run(data), dry_run)


def import_events_csv(
    path: Path, platform_slug: str, *, dry_run: bool = False, progress: Progress | None = None
) -> Summary:
    """Import a bare CSV events table into an existing platform: all of it, or nothing."""
    platform = Platform.objects.filter(slug=platform_slug).first()
    if platform is None:
        raise FileError(_("no platform “%(slug)s”") % {"slug": platform_slug})
    rows = read_events_csv(path)
    importer = Importer(Where(path.name), path.parent, progress)
    importer.summary.platform = platform.slug

    def work() -> Summary:
        importer.events(platform, rows)
        return importer.summary

    return _run(work, dry_run)


# --- the export ---------------------------------------------------------------------


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def export_platform(platform: Platform) -> dict:
    """Everything the import needs to rebuild `platform`, in a stable order."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "platform": _export_settings(platform),
        "agents": _export_agents(platform),
        "catalogue": {"versions": _export_catalogue(platform)},
        "resources": _export_resources(platform),
        "events": _export_events(platform),
    }


def dumps(data: dict) -> str:
    """Canonical JSON: sorted keys, two-space indent, UTF-8 text, one final newline."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def export_file(platform: Platform, path: Path) -> int:
    """Write the export of `platform` to `path`; returns the number of events written."""
    data = export_platform(platform)
    path.write_text(dumps(data), encoding="utf-8")
    return len(data["events"])


def _export_settings(platform: Platform) -> dict:
    settings = {name: getattr(platform, name) for name in sorted(PLATFORM_FIELDS)}
    settings["discount_rate"] = _dec(platform.discount_rate)
    settings["slug"] = platform.slug
    settings["place"] = platform.place.name if platform.place else ""
    settings["host"] = platform.host.slug if platform.host else None
    return settings


def _export_agents(platform: Platform) -> list[dict]:
    agents = list(Agent.objects.filter(platform=platform).order_by("slug"))
    slugs = {a.pk: a.slug for a in agents}
    history: dict[int, list[dict]] = {}
    for change in (
        MembershipChange.objects.filter(platform=platform)
        .select_related("membership")
        .order_by("at", "id")
    ):
        history.setdefault(change.membership.agent_id, []).append(
            {
                "role": change.role,
                "previous_role": change.previous_role,
                "by": slugs.get(change.by_id),
                "reason": change.reason,
            }
        )
    represents: dict[int, list[str]] = {}
    links = Agent.representatives.through.objects.filter(from_agent__platform=platform)
    for organization_id, person_id in links.values_list("from_agent_id", "to_agent_id"):
        represents.setdefault(person_id, []).append(slugs[organization_id])
    return [
        {
            "slug": a.slug,
            "name": a.name,
            "kind": a.kind,
            "is_public": a.is_public,
            "bio": a.bio,
            "role": history[a.pk][-1]["role"] if a.pk in history else None,
            "role_history": history.get(a.pk, []),
            "represents": sorted(represents.get(a.pk, [])),
        }
        for a in agents
    ]


def _export_values(values: SpecificationValues) -> dict:
    fields = {name: _dec(getattr(values, name)) for name in VALUE_FIELDS}
    fields["source"] = values.proxy_source
    fields["source_date"] = _iso(values.proxy_date)
    return fields


def _export_catalogue(platform: Platform) -> list[dict]:
    rows = (
        SpecificationValues.objects.filter(platform=platform)
        .select_related("specification", "version", "version__created_by")
        .order_by("version__number", "specification__slug")
    )
    versions: dict[int, dict] = {}
    introduced: set[int] = set()
    for values in rows:
        version = values.version
        block = versions.setdefault(
            version.number,
            {
                "number": version.number,
                "note": version.note,
                "created_by": version.created_by.slug if version.created_by else None,
                "specifications": [],
                "overrides": {},
            },
        )
        spec = values.specification
        if spec.pk in introduced:
            block["overrides"][spec.slug] = _export_values(values)
            continue
        introduced.add(spec.pk)
        block["specifications"].append(
            {
                "slug": spec.slug,
                "name_fr": spec.name_fr,
                "name_en": spec.name_en,
                "unit": spec.unit,
                "market": spec.market,
                "headline": spec.headline,
                "cvn_account": spec.cvn_account,
                **_export_values(values),
            }
        )
    return [versions[number] for number in sorted(versions)]


def _export_resources(platform: Platform) -> list[dict]:
    return [
        {
            "slug": r.slug,
            "name": r.name,
            "kind": r.kind,
            "spec": r.conforms_to.slug,
            "capacity": r.capacity,
            "beds": r.beds,
            "note": r.note,
        }
        for r in EconomicResource.objects.filter(platform=platform)
        .select_related("conforms_to")
        .order_by("slug")
    ]


def _export_events(platform: Platform) -> list[dict]:
    slugs = dict(Agent.objects.filter(platform=platform).values_list("pk", "slug"))
    specs = dict(ResourceSpecification.objects.filter(platform=platform).values_list("pk", "slug"))
    resources = dict(EconomicResource.objects.filter(platform=platform).values_list("pk", "slug"))
    statuses = dict(EventState.objects.filter(platform=platform).values_list("event_id", "status"))
    history: dict[int, list[dict]] = {}
    for change in (
        EventStatusChange.objects.filter(platform=platform)
        .order_by("event_id", "at", "id")
        .values("event_id", "status", "by_id", "reason", "at")
    ):
        history.setdefault(change["event_id"], []).append(
            {
                "status": change["status"],
                "by": slugs[change["by_id"]],
                "reason": change["reason"],
                "at": _iso(change["at"]),
            }
        )
    events = EconomicEvent.objects.filter(platform=platform).order_by("id").values()
    keys: dict[int, str] = {}
    exported = []
    for e in events:
        keys[e["id"]] = e["import_key"] or f"event-{e['id']}"
        exported.append(_export_event(e, keys, slugs, specs, resources, statuses, history))
    return exported


def _export_event(e, keys, slugs, specs, resources, statuses, history) -> dict:
    begin = e["has_beginning"]
    return {
        "key": keys[e["id"]],
        "action": e["action"],
        "provider": slugs[e["provider_id"]],
        "receiver": slugs[e["receiver_id"]],
        "spec": specs[e["resource_conforms_to_id"]],
        "resource": resources.get(e["resource_inventoried_as_id"]),
        "quantity": _dec(e["resource_quantity"]),
        "unit": e["unit"],
        "effort_quantity": _dec(e["effort_quantity"]),
        "date": None if begin else _iso(e["has_point_in_time"] or e["occurred_on"]),
        "begin": _iso(begin),
        "end": _iso(e["has_end"]),
        "occurred_on": _iso(e["occurred_on"]),
        "note": e["note"],
        "evidence": e["evidence"],
        "money_amount": _dec(e["money_amount"]),
        "currency": e["currency"],
        "declared_value": _dec(e["declared_value"]),
        "recorded_by": slugs[e["recorded_by_id"]],
        "recorded_at": _iso(e["recorded_at"]),
        "corrects": keys.get(e["corrects_id"]) if e["corrects_id"] else None,
        "source": e["source"],
        "status": statuses.get(e["id"]),
        "status_history": history.get(e["id"], []),
    }
