"""What the Cause page shows of a platform's life: the people who chose a public profile,
the open needs and offers, the public projects and the public gatherings to come.

The Cause page is public and the most visited of a platform's pages. Its lists are read in
statements written once per process: building them through the ORM at every visit cost
more than running them, and more than the rest of the page's queries together.
"""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from tribu.agents.models import Agent
from tribu.community.models import Intent, IntentKind, IntentStatus, Project, Visibility
from tribu.platforms.models import Membership
from tribu.spaces.models import Booking, Gathering

INTENTS_SHOWN = 8
PROJECTS_SHOWN = 6
GATHERINGS_SHOWN = 5


@dataclass(frozen=True)
class Person:
    name: str
    bio: str


@dataclass(frozen=True)
class OpenIntent:
    kind: str
    title: str

    @property
    def kind_label(self) -> str:
        return IntentKind(self.kind).label


@dataclass(frozen=True)
class PublicProject:
    title: str
    description: str
    owner_name: str | None  # None when the owner keeps their profile private


@dataclass(frozen=True)
class ComingGathering:
    pk: int
    title: str
    start: datetime


def cause_lists(platform_id: int) -> dict:
    """The four lists, by the names the page's template gives them."""
    statements = _statements()
    with connection.cursor() as cursor:
        cursor.execute(statements["people"], [platform_id, platform_id])
        people = [Person(*row) for row in cursor.fetchall()]
        cursor.execute(statements["intents"], [platform_id, IntentStatus.OPEN])
        intents = [OpenIntent(*row) for row in cursor.fetchall()]
        cursor.execute(statements["projects"], [platform_id, Visibility.PUBLIC])
        projects = [
            PublicProject(title, description, name if public else None)
            for title, description, name, public in cursor.fetchall()
        ]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(statements["gatherings"], [platform_id, now])
        start = _as_the_orm_reads(Booking, "start")
        gatherings = [ComingGathering(pk, title, start(at)) for pk, title, at in cursor.fetchall()]
    return {"people": people, "intents": intents, "projects": projects, "gatherings": gatherings}


def _as_the_orm_reads(model, name: str):
    """A column's values converted by the database backend's own converters, as the ORM
    converts them (SQLite, for one, hands back a moment as text)."""
    column = model._meta.get_field(name).get_col(model._meta.db_table)
    converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)

    def convert(value):
        for converter in converters:
            value = converter(value, column, connection)
        return value

    return convert


@functools.cache
def _statements() -> dict[str, str]:
    agents, memberships = Agent._meta.db_table, Membership._meta.db_table
    intents, projects = Intent._meta.db_table, Project._meta.db_table
    gatherings, bookings = Gathering._meta.db_table, Booking._meta.db_table
    # Our own table names, and limits that are constants: nothing here comes from a visitor.
    return {
        # Members of the platform with a public profile, by name.
        "people": (
            f"SELECT a.name, a.bio FROM {agents} a WHERE a.platform_id = %s "  # noqa: S608
            f"AND a.is_public AND EXISTS (SELECT 1 FROM {memberships} m "
            "WHERE m.agent_id = a.id AND m.platform_id = %s) ORDER BY a.name, a.id"
        ),
        # The newest open needs and offers.
        "intents": (
            f"SELECT kind, title FROM {intents} WHERE platform_id = %s "  # noqa: S608
            f"AND status = %s ORDER BY id DESC LIMIT {INTENTS_SHOWN}"
        ),
        # The newest public projects, with their owner's name if the owner is public.
        "projects": (
            f"SELECT p.title, p.description, o.name, o.is_public FROM {projects} p "  # noqa: S608
            f"JOIN {agents} o ON o.id = p.owner_id WHERE p.platform_id = %s "
            f"AND p.visibility = %s ORDER BY p.created_at DESC, p.id DESC LIMIT {PROJECTS_SHOWN}"
        ),
        # Public gatherings not cancelled that have not begun, soonest first.
        "gatherings": (
            f"SELECT g.id, g.title, b.start FROM {gatherings} g "  # noqa: S608
            f"JOIN {bookings} b ON b.id = g.booking_id WHERE g.platform_id = %s "
            "AND g.is_public AND NOT g.cancelled AND b.start >= %s "
            f"ORDER BY b.start, g.id LIMIT {GATHERINGS_SHOWN}"
        ),
    }
