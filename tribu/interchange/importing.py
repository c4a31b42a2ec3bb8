"""The import: replays a file through the services, all of it or nothing."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import TribuError
from tribu.ledger.catalogue import _carried_over, check_values, current_values, edit_catalogue
from tribu.ledger.models import (
    CatalogueVersion,
    EconomicResource,
    ResourceSpecification,
    Status,
)
from tribu.platforms.access import RECORDING_ROLES, role_of
from tribu.platforms.invitations import claim_for
from tribu.platforms.models import MembershipChange, Platform
from tribu.platforms.services import (
    PLATFORM_FIELDS,
    add_agent,
    create_platform,
    represent,
    set_role,
)
from tribu.spaces.services import add_resource

from . import sealing
from .backup import FORMAT as BACKUP
from .backup import restore_backup
from .checking import _bool, _keys, _list, _mapping, _moment, _number, _text
from .events import EventPlanner, Planned
from .formats import (
    AGENT_KEYS,
    CATALOGUE_KEYS,
    FORMAT,
    FORMAT_VERSION,
    OVERRIDE_KEYS,
    PLATFORM_KEYS,
    RESOURCE_KEYS,
    ROOT_KEYS,
    SPEC_IDENTITY,
    SPEC_KEYS,
    VALUE_FIELDS,
    VERSION_KEYS,
    FileError,
    Where,
)
from .reading import load_file, read_events_csv, read_events_xlsx
from .writing import write_plan

PROGRESS_EVERY = 1000
PREVIEW = 20  # events a dry run lists


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
    """Replays one file, in order: platform, agents and their roles, catalogue and resources
    through the services, in one transaction; the events and their statuses checked by the
    ledger's rules in memory, then written in short transactions (`writing`); last, the roles
    that take recording rights away (an alumna's past events were recorded while she was a
    resident).

    Nothing is written unless the whole file is valid. The events are checked outside any
    transaction when the first part changed nothing (the usual case: a table of events for
    an existing platform), so that other people's writes are not held up meanwhile; a file
    that creates its platform is checked inside the transaction that creates it."""

    def __init__(self, where: Where, base_dir: Path, progress: Progress | None = None):
        self.where = where
        self.base_dir = base_dir
        self.progress = progress
        self.summary = Summary()
        self.deferred_roles: list[tuple[Agent, dict, Where]] = []
        self.agents: dict[str, Agent] = {}

    # platform file ------------------------------------------------------------

    def run(self, data: dict, dry_run: bool = False) -> Summary:
        _keys(data, ROOT_KEYS, self.where)
        self.check_format(data)
        sealing.verify(data, self.where)
        with transaction.atomic():
            platform = self.platform(data)
            self.add_agents(platform, _list(data.get("agents"), self.where.at("agents")))
            self.catalogue(platform, data.get("catalogue"))
            self.resources(platform, _list(data.get("resources"), self.where.at("resources")))
            rows = self.collect_events(data)
            inside = self.summary.changed
            if inside:
                plan = self.events(platform, rows)
                if dry_run:
                    self.apply_deferred_roles()
                    transaction.set_rollback(True)
                    return self.summary
        if not inside:
            plan = self.events(platform, rows)
        return self.write(platform, plan, dry_run)

    def write(self, platform: Platform, plan: list, dry_run: bool) -> Summary:
        if dry_run:
            self.summary.notes += preview(plan)
        else:
            write_plan(platform, plan, PROGRESS_EVERY, self.progress)
        if self.deferred_roles:
            with transaction.atomic():
                self.apply_deferred_roles()
                transaction.set_rollback(dry_run)
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

    def agent(self, slug: str, where: Where, field: str = "") -> Agent:
        agent = self.agents.get(slug)
        if agent is None:
            where = where.at(field) if field else where
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

    def events(self, platform: Platform, rows: list[tuple[Where, dict]]) -> list[Planned]:
        """Check every event of the file; returns the new ones, in the file's order."""
        self.agents = self.agents or {a.slug: a for a in Agent.objects.filter(platform=platform)}
        planner = EventPlanner(self, platform)
        planner.prepare(rows)
        for where, row in rows:
            planner.load(row, where)
        planner.settle_corrections()
        return list(planner.planned.values())


def import_file(path: Path, *, dry_run: bool = False, progress: Progress | None = None) -> Summary:
    """Import a platform file (JSON or YAML): all of it, or nothing."""
    where = Where(path.name)
    data = load_file(path)
    if data.get("format") == BACKUP:
        return _restore(data, where, dry_run)
    importer = Importer(where, path.parent, progress)
    return importer.run(data, dry_run)


def preview(plan: list[Planned]) -> list[str]:
    """What a dry run would write: the first events, one line each."""
    lines = [
        _(
            "would record %(key)s: %(provider)s → %(receiver)s, %(quantity)s %(unit)s %(spec)s, "
            "%(day)s (%(status)s)"
        )
        % {
            "key": planned.key,
            "provider": planned.event.provider.slug,
            "receiver": planned.event.receiver.slug,
            "quantity": planned.event.fields["resource_quantity"],
            "unit": planned.event.fields["unit"],
            "spec": planned.event.fields["resource_conforms_to"].slug,
            "day": planned.event.fields["occurred_on"],
            "status": Status(planned.state.status).label,
        }
        for planned in plan[:PREVIEW]
    ]
    if len(plan) > PREVIEW:
        lines.append(_("… and %(n)s more events") % {"n": len(plan) - PREVIEW})
    return lines


def _restore(data: dict, where: Where, dry_run: bool) -> Summary:
    """A complete backup (`backup`): every row as it was, into an empty database."""
    with transaction.atomic():
        counts, claims = restore_backup(data, where)
        transaction.set_rollback(dry_run)
    summary = Summary(platform=", ".join(data.get("platforms") or []), created_platform=True)
    summary.agents = counts.get("agents.Agent", 0)
    summary.resources = counts.get("ledger.EconomicResource", 0)
    summary.catalogue_versions = counts.get("ledger.CatalogueVersion", 0)
    summary.events = counts.get("ledger.EconomicEvent", 0)
    summary.status_changes = counts.get("ledger.EventStatusChange", 0)
    summary.notes.append(
        _("backup restored: %(rows)s rows in %(tables)s tables")
        % {"rows": sum(counts.values()), "tables": sum(1 for n in counts.values() if n)}
    )
    slugs = {row["id"]: row["slug"] for row in data["tables"].get("platforms.Platform", [])}
    waiting = Counter(slugs[claim.platform_id] for claim in claims)
    for slug, count in sorted(waiting.items()):
        summary.notes.append(
            _(
                "%(n)s people of “%(slug)s” log in again through a claim link: "
                "`tribu invite --platform %(slug)s` prints the links, `--send` e-mails them"
            )
            % {"n": count, "slug": slug}
        )
    return summary


def import_events_csv(
    path: Path, platform_slug: str, *, dry_run: bool = False, progress: Progress | None = None
) -> Summary:
    """Import a bare CSV events table into an existing platform: all of it, or nothing."""
    platform = Platform.objects.filter(slug=platform_slug).first()
    if platform is None:
        raise FileError(_("no platform “%(slug)s”") % {"slug": platform_slug})
    rows = read_events_xlsx(path) if path.suffix.lower() == ".xlsx" else read_events_csv(path)
    importer = Importer(Where(path.name), path.parent, progress)
    importer.summary.platform = platform.slug
    return importer.write(platform, importer.events(platform, rows), dry_run)
