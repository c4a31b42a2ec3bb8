"""Reading platform files (JSON, YAML) and CSV events tables, with the line of each item."""

import csv
import json
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import openpyxl
import yaml
from django.utils.translation import gettext as _

from .formats import CSV_REQUIRED, EVENT_KEYS, Where
from .valueflows import load_valueflows

JSON_LINES_LIMIT = 5_000_000  # characters


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
    elif suffix == ".jsonld":
        return load_valueflows(path, text)
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


def read_events_xlsx(path: Path) -> list[tuple[Where, dict]]:
    """The rows of a spreadsheet's first sheet, read as a CSV table is: the same columns,
    the same checks; errors name the sheet, the row and the column."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Where(path.name).error(_("cannot read the spreadsheet (%(e)s)") % {"e": exc}) from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_cell(value) for value in next(rows, ())]
        while header and not header[-1]:
            header.pop()
        where = Where(path.name, 1, sheet=sheet.title, columns=tuple(header))
        _check_header(header, where)
        found = []
        for number, values in enumerate(rows, 2):
            cells = [_cell(value) for value in values]
            if not any(cells):
                continue
            row_where = Where(path.name, number, sheet=sheet.title, columns=tuple(header))
            if any(cells[len(header) :]):
                raise row_where.error(_("more values than columns"))
            found.append(
                (
                    row_where,
                    {name: cell for name, cell in zip(header, cells, strict=False) if cell != ""},
                )
            )
        return found
    finally:
        book.close()


def _cell(value) -> str:
    """A cell as the text a CSV table would hold: days as YYYY-MM-DD, numbers as written."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def _check_header(columns: list[str], where: Where) -> None:
    unknown = [c for c in columns if c not in EVENT_KEYS or c == "status_history"]
    if unknown:
        raise where.error(_("unknown column “%(c)s”") % {"c": unknown[0]})
    missing = [c for c in CSV_REQUIRED if c not in columns]
    if missing:
        raise where.error(_("missing column “%(c)s”") % {"c": missing[0]})
