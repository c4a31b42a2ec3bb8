"""``tribu sroi``: an impact map, from JSON or from a value map spreadsheet, evaluated
and written out as the evaluation (JSON), the impact-map file itself (JSON), or a value
map with the figures filled in (XLSX). A refusal writes nothing."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tribu.valuation import ValuationError, evaluate, parse_impact_map
from tribu.valuation.cli import USAGE_ERROR, as_json, read_json

from .valuemap import ValueMapError, read_value_map, write_value_map

FORMATS = ("json", "xlsx", "impact-map")


@dataclass
class Done:
    """What the command prints (``text``), what it writes (``path``, ``content``), and
    the evaluation it made (``result``)."""

    code: int
    text: str
    path: Path | None = None
    content: bytes | None = None
    result: dict | None = None


def is_spreadsheet(path: str) -> bool:
    return Path(path).suffix.lower() in (".xlsx", ".xlsm")


def load(path: str) -> tuple[Any, str | None]:
    """The impact-map file as decoded JSON, from FILE.json or a value map FILE.xlsx."""
    if not is_spreadsheet(path):
        return read_json(path)
    try:
        return read_value_map(path, name=Path(path).stem), None
    except ValueMapError as error:
        return None, f"error: {path}: {error}"
    except OSError as error:
        return None, f"error: {path}: {_('cannot read the file')} ({error})"


def run(
    path: str,
    draws: int | None = None,
    seed: int | None = None,
    fmt: str = "json",
    output: str | None = None,
    language: str = "fr",
) -> Done:
    data, error = load(path)
    if error:
        return Done(USAGE_ERROR, error)
    try:
        imap = parse_impact_map(data)
        result = evaluate(imap, draws, seed)
    except ValuationError as error:
        return Done(USAGE_ERROR, f"error: {path}: {error}")
    if fmt == "impact-map":
        return _written(output, json.dumps(data, indent=2, ensure_ascii=False) + "\n", result)
    if fmt == "json":
        return _written(output, as_json(result) + "\n", result)
    target = Path(output) if output else Path(path).with_suffix(".xlsx")
    if target.resolve() == Path(path).resolve():
        message = _("the value map would overwrite the file read: name another with --output")
        return Done(USAGE_ERROR, f"error: {path}: {message}")
    content = write_value_map(imap, result, language)
    return Done(0, _("written: %(path)s") % {"path": target}, target, content, result)


def _written(output: str | None, text: str, result: dict) -> Done:
    if output is None:
        return Done(0, text, result=result)
    written = _("written: %(path)s") % {"path": output}
    return Done(0, written, Path(output), text.encode(), result)
