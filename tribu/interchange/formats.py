"""The platform file's vocabulary: its format name, the fields each block may carry, and
where in a file something is wrong (for error messages)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tribu.core.errors import TribuError
from tribu.ledger.catalogue import RANGED
from tribu.platforms.services import (
    PLATFORM_FIELDS,
)

FORMAT = "tribu-platform"
FORMAT_VERSION = 1
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
    "chain_head",
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
    # A spreadsheet's sheet, and its header (column names in order): errors then name the
    # sheet, the row and the column (its letter and its name) instead of a line.
    sheet: str = ""
    columns: tuple[str, ...] = ()

    def at(self, name: str, item=None) -> "Where":
        path = (
            f"{self.field}{name}"
            if name.startswith("[") or not self.field
            else f"{self.field}.{name}"
        )
        line = getattr(item, "line", None) or self.line
        return Where(self.file, line, path, self.sheet, self.columns)

    def error(self, message: str) -> FileError:
        prefix = self.file
        if self.sheet:
            prefix += ", " + _("sheet “%(s)s”") % {"s": self.sheet}
            if self.line:
                prefix += ", " + _("row %(n)s") % {"n": self.line}
        elif self.line:
            prefix += ", " + _("line %(n)s") % {"n": self.line}
        if self.field:
            prefix += ": " + self.column_of(self.field)
        return FileError(f"{prefix}: {message}")

    def column_of(self, field: str) -> str:
        if field not in self.columns:
            return field
        letter = _column_letter(self.columns.index(field) + 1)
        return _("column %(letter)s (%(name)s)") % {"letter": letter, "name": field}


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
