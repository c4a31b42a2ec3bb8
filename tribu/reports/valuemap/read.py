"""Reading a value map workbook into an impact-map file, checked by the engine; every
refusal names the sheet, the row and the column."""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tribu.valuation import ImpactMap, ValuationError, parse_impact_map
from tribu.valuation.model import FRACTIONS, RANGED

from .layout import (
    AFTER,
    COMPUTED_HEADINGS,
    DIRECTION_WORDS,
    DISCOUNTING_WORDS,
    EN,
    FR,
    HEADING_KEYS,
    MAP_SHEET_NAMES,
    NO,
    REQUIRED,
    SETTING_KEYS,
    SHEETS,
    YES,
    Columns,
    ValueMapError,
    heading,
    normal,
)


def _heading_key(text: str, previous: str | None) -> str | None:
    word = normal(text)
    if word in AFTER:
        return AFTER[word].get(previous or "", None)
    key = HEADING_KEYS.get(word) or HEADING_KEYS.get(normal(re.sub(r"\(.*?\)", "", text)))
    return key


def _is_computed(text: str) -> bool:
    word = normal(text)
    return word in COMPUTED_HEADINGS or bool(re.fullmatch(r"(year|annee) \d+", word))


def _read_headings(sheet, number: int, cells) -> tuple[dict, list[str]]:
    found: dict[str, tuple[int, str]] = {}
    unknown: list[str] = []
    previous = None
    for column, value in enumerate(cells, start=1):
        if value is None or not str(value).strip():
            continue
        text = " ".join(str(value).split())
        key = _heading_key(text, previous)
        if key is None:
            if not _is_computed(text):
                unknown.append(f"{get_column_letter(column)} ({text})")
            continue
        if key in found:
            raise ValueMapError(
                sheet.title,
                number,
                f"{get_column_letter(column)} ({text})",
                _("this heading appears twice (also column %(other)s)")
                % {"other": get_column_letter(found[key][0])},
            )
        found[key] = (column, text)
        previous = key
    return found, unknown


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _continues(cells: tuple) -> bool:
    """A second heading row: words only, no figure (the published map puts "Value £"
    and "Description" under headings that span two columns)."""
    numbers = [c for c in cells if isinstance(c, int | float) and not isinstance(c, bool)]
    return not numbers and any(not _blank(c) for c in cells)


def _second_row(sheet, number: int, rows: list[tuple], found: dict, unknown: list) -> tuple:
    """The headings with the empty cells filled from the row below, when that row
    continues them; and the first row of data."""
    below = rows[number] if number < len(rows) else ()
    if not _continues(below):
        return found, unknown, number + 1
    main = rows[number - 1]
    width = max(len(main), len(below))
    main, below = main + (None,) * (width - len(main)), below + (None,) * (width - len(below))
    merged = tuple(b if _blank(a) else a for a, b in zip(main, below, strict=True))
    more, more_unknown = _read_headings(sheet, number, merged)
    if len(more) > len(found):
        return more, more_unknown, number + 2
    return found, unknown, number + 1


def find_columns(sheet) -> Columns:
    """The heading row: among the first twenty, the one with most known headings (with
    the row below it when that row continues it)."""
    rows = list(sheet.iter_rows(max_row=21, values_only=True))
    best: tuple[int, dict, list] | None = None
    for number, cells in enumerate(rows[:20], start=1):
        found, unknown = _read_headings(sheet, number, cells)
        if len(found) >= 3 and (best is None or len(found) > len(best[1])):
            best = (number, found, unknown)
    if best is None:
        raise ValueMapError(sheet.title, None, None, _("no row of value map headings found"))
    number, found, unknown = best
    found, unknown, first = _second_row(sheet, number, rows, found, unknown)
    if unknown:
        # A misspelt heading would otherwise leave its column unread, without a word.
        raise ValueMapError(
            sheet.title,
            number,
            unknown[0],
            _("unknown heading (the template lists them)"),
        )
    columns = Columns(sheet.title, number, found, first)
    for key in (*REQUIRED, "stakeholder"):
        if key not in found:
            both = heading(key, EN) + " / " + heading(key, FR)
            raise ValueMapError(sheet.title, number, None, _("no column “%(h)s”") % {"h": both})
    if "quantity" not in found and "yearly" not in found:
        raise ValueMapError(sheet.title, number, None, _("no column “Quantity” / “Quantité”"))
    return columns


def _number_text(text: str) -> float | None:
    text = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    text = text.replace(",", "") if "," in text and "." in text else text.replace(",", ".")
    try:
        return float(Decimal(text))
    except ArithmeticError:
        return None


def _number(columns: Columns, row: int, key: str, value: Any) -> Any:
    """A cell as a number: numeric cells as they are, text like "1 234,5" or "25 %"."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise columns.error(row, key, _("must be a number"))
    if not isinstance(value, str):
        return value
    percent = value.strip().endswith("%")
    number = _number_text(value.strip().rstrip("%"))
    if number is None:
        raise columns.error(row, key, _("must be a number, got “%(v)s”") % {"v": value})
    return number / 100 if percent else number


def _fraction(columns: Columns, row: int, key: str, value: Any) -> Any:
    number = _number(columns, row, key, value)
    if not 0 <= number <= 1:
        shown = f"{(Decimal(str(number)) * 100).normalize():f}"
        raise columns.error(
            row, key, _("must be a percentage between 0 and 100, got %(v)s") % {"v": f"{shown} %"}
        )
    return number


def _integer(columns: Columns, row: int, key: str, value: Any) -> int:
    number = _number(columns, row, key, value)
    if number != int(number) or number < 1:
        raise columns.error(row, key, _("must be a whole number of years, at least 1"))
    return int(number)


START_WORDS = {"during": 1, "pendant": 1, "after": 2, "apres": 2}


def _start(columns: Columns, row: int, value: Any) -> int:
    """1 during the activity, 2 after it (or a later year), as a number or a word."""
    word = normal(value) if isinstance(value, str) else ""
    if word in START_WORDS:
        return START_WORDS[word]
    return _integer(columns, row, "start", value)


def _flag(columns: Columns, row: int, key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = normal(value)
    if word in YES:
        return True
    if word in NO:
        return False
    raise columns.error(row, key, _("must be yes or no"))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _cells(columns: Columns, cells: tuple) -> dict[str, Any]:
    values = {}
    for key, (number, _heading) in columns.found.items():
        value = cells[number - 1] if number <= len(cells) else None
        if isinstance(value, str) and not value.strip():
            value = None
        values[key] = value
    return values


def _range(columns: Columns, row: int, name: str, values: dict[str, Any]) -> Any:
    read = _number if name == "proxy" else _fraction
    central = read(columns, row, name, values[name])
    low, high = values.get(f"{name}_low"), values.get(f"{name}_high")
    if low is None and high is None:
        return central
    if low is None or high is None:
        missing = f"{name}_low" if low is None else f"{name}_high"
        key = missing if missing in columns.found else name
        raise columns.error(row, key, _("give both the low and the high value, or neither"))
    return {
        "low": read(columns, row, f"{name}_low", low),
        "central": central,
        "high": read(columns, row, f"{name}_high", high),
    }


def _yearly(columns: Columns, row: int, value: Any) -> list:
    if not isinstance(value, str):
        return [_number(columns, row, "yearly", value)]
    parts = [part for part in re.split(r"[;|]", value) if part.strip()]
    return [_number(columns, row, "yearly", part) for part in parts]


def _quantities(columns: Columns, row: int, values: dict[str, Any]) -> dict[str, Any]:
    single, yearly = values.get("quantity"), values.get("yearly")
    if single is not None and yearly is not None:
        raise columns.error(row, "yearly", _("give either a quantity or quantities by year"))
    if yearly is not None:
        return {"quantity": _yearly(columns, row, yearly)}
    if single is None:
        raise columns.error(row, "quantity", _("the quantity is missing"))
    fields: dict[str, Any] = {"quantity": _number(columns, row, "quantity", single)}
    if values.get("duration") is not None:
        fields["duration_years"] = _integer(columns, row, "duration", values["duration"])
    return fields


MISSING = {
    "label": "the outcome is not described",
    "proxy": "the value of the financial proxy is missing",
    "deadweight": "the deadweight is missing (0 % if there is none)",
    "displacement": "the displacement is missing (0 % if there is none)",
    "attribution": "the attribution is missing (0 % if there is none)",
}
OUTCOME_KEYS = {
    "label", "indicator", "indicator_source", "quantity", "yearly", "duration", "start",
    "proxy_label", "proxy", "proxy_source", *FRACTIONS, "market", "headline", "direction",
    "cvn_account", "key", *(f"{n}_{end}" for n in RANGED for end in ("low", "high")),
}  # fmt: skip


def _outcome(columns: Columns, row: int, values: dict[str, Any]) -> dict[str, Any]:
    for key in REQUIRED:
        if values.get(key) is None:
            raise columns.error(row, key, _(MISSING[key]))
    outcome: dict[str, Any] = {
        "label": _text(values["label"]),
        "stakeholder": _text(values.get("stakeholder")),
        **_quantities(columns, row, values),
    }
    for name in RANGED:
        if name in columns.found and (name != "drop_off" or values.get(name) is not None):
            outcome[name] = _range(columns, row, name, values)
    if values.get("start") is not None:
        outcome["start_year"] = _start(columns, row, values["start"])
    for key in ("change", "output", "indicator", "indicator_source", "proxy_label"):
        if values.get(key) is not None:
            outcome[key] = _text(values[key])
    if values.get("proxy_source") is not None:
        outcome["proxy_source"] = _text(values["proxy_source"])
    for key in ("market", "headline"):
        if values.get(key) is not None:
            outcome[key] = _flag(columns, row, key, values[key])
    _extras(columns, row, values, outcome)
    return outcome


def _extras(columns: Columns, row: int, values: dict[str, Any], outcome: dict) -> None:
    if values.get("direction") is not None:
        word = normal(values["direction"])
        found = [d for d, words in DIRECTION_WORDS.items() if word in map(normal, words)]
        if not found:
            raise columns.error(row, "direction", _("must be benefit or cost"))
        outcome["direction"] = found[0]
    if values.get("cvn_account") is not None:
        outcome["cvn_account"] = _text(values["cvn_account"]).removesuffix(".0")
    if values.get("key") is not None:
        outcome["key"] = _text(values["key"])


def _input(columns: Columns, row: int, values: dict[str, Any]) -> dict[str, Any]:
    if values.get("input_label") is None:
        raise columns.error(row, "input_label", _("the input is not described"))
    if values.get("input_amount") is None:
        key = "input_amount" if "input_amount" in columns.found else "input_label"
        raise columns.error(row, key, _("the value of the input is missing"))
    item = {
        "label": _text(values["input_label"]),
        "amount": _number(columns, row, "input_amount", values["input_amount"]),
        "stakeholder": _text(values.get("stakeholder")),
    }
    if values.get("input_year") is not None:
        year = _number(columns, row, "input_year", values["input_year"])
        if year != int(year) or year < 0:
            raise columns.error(row, "input_year", _("must be a whole year, 0 or more"))
        item["year"] = int(year)
    return item


@dataclass
class Origin:
    """Where each item of the map was read, to name the cell of an engine refusal."""

    columns: Columns
    rows: dict[str, list[int]]
    settings: dict[str, tuple[str, int, str]] = field(default_factory=dict)


# The published map's totals and "calculating social return" block sit below the rows.
STOP_WORDS = {
    "total", "totals", "totaux", "total general", "calculating social return", "stage 5",
    "etape 5", "calcul du retour social",
}  # fmt: skip


def _ends_the_table(cells: tuple) -> bool:
    first = next((c for c in cells if not _blank(c)), None)
    return isinstance(first, str) and normal(first) in STOP_WORDS


def _read_rows(sheet, columns: Columns) -> tuple[list, list, Origin]:
    inputs, outcomes = [], []
    origin = Origin(columns, {"inputs": [], "outcomes": []})
    stakeholder = None
    rows = sheet.iter_rows(min_row=columns.first, values_only=True)
    for number, cells in enumerate(rows, start=columns.first):
        if _ends_the_table(cells):
            break
        values = _cells(columns, cells)
        # A stakeholder written once stands for the rows below it, as in merged cells.
        if values.get("stakeholder") is not None:
            stakeholder = values["stakeholder"]
        values["stakeholder"] = stakeholder
        if values.get("input_label") is not None or values.get("input_amount") is not None:
            inputs.append(_input(columns, number, values))
            origin.rows["inputs"].append(number)
        if any(values.get(key) is not None for key in OUTCOME_KEYS):
            outcomes.append(_outcome(columns, number, values))
            origin.rows["outcomes"].append(number)
    return inputs, outcomes, origin


def _settings(book, name: str, origin: Origin) -> dict[str, Any]:
    sheet = next((s for s in book.worksheets if normal(s.title) in _settings_titles()), None)
    data: dict[str, Any] = {"name": name}
    if sheet is None:
        return data
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        label, value = (list(cells) + [None, None])[:2]
        if label is None or not str(label).strip():
            continue
        key = SETTING_KEYS.get(normal(label))
        where = f"A ({_text(label)})"
        if key is None:
            raise ValueMapError(sheet.title, number, where, _("unknown setting"))
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        where = f"B ({_text(label)})"
        data[key] = _setting(sheet.title, number, key, value, where)
        origin.settings[key] = (sheet.title, number, where)
    return data


def _settings_titles() -> set[str]:
    return {normal(title) for title in SHEETS["settings"]}


def _setting(title: str, row: int, key: str, value: Any, where: str) -> Any:
    if key in ("name", "currency"):
        return _text(value)
    if key == "discounting":
        word = normal(value)
        for choice, words in DISCOUNTING_WORDS.items():
            if word in {normal(w) for w in (*words, choice)}:
                return choice
        raise ValueMapError(title, row, where, _("must be “end of year” or “mid-year”"))
    number = _number_text(value) if isinstance(value, str) else value
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise ValueMapError(title, row, where, _("must be a number"))
    if key == "discount_rate":
        return number / 100 if isinstance(value, str) and value.strip().endswith("%") else number
    if number != int(number):
        raise ValueMapError(title, row, where, _("must be a whole number"))
    return int(number)


def _map_sheet(book):
    named = [s for s in book.worksheets if normal(s.title) in MAP_SHEET_NAMES]
    others = [s for s in book.worksheets if normal(s.title) not in _settings_titles()]
    return (named or others or book.worksheets)[0]


def read_value_map(source: str | Path | io.BytesIO, name: str = "") -> dict[str, Any]:
    """The impact-map file (a dict, as decoded from JSON) of a value map workbook,
    checked by the engine. ``name`` is the map's name unless its settings give one.
    Raises ValueMapError naming the sheet, row and column of what is wrong."""
    try:
        book = load_workbook(source, data_only=True, read_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise ValueMapError("", None, None, _("not a readable XLSX workbook")) from error
    sheet = _map_sheet(book)
    columns = find_columns(sheet)
    inputs, outcomes, origin = _read_rows(sheet, columns)
    settings = _settings(book, name or sheet.title, origin)
    data = {**settings, "inputs": inputs, "outcomes": outcomes}
    draws, seed = data.pop("draws", None), data.pop("seed", None)
    simulation = {k: v for k, v in (("draws", draws), ("seed", seed)) if v is not None}
    if simulation:
        data["simulation"] = simulation
    check(data, origin)
    return data


# Engine field → spreadsheet column, to place a refusal of the engine in the sheet.
FIELD_COLUMNS = {
    "quantity": "quantity",
    "duration_years": "duration",
    "start_year": "start",
    "amount": "input_amount",
    "year": "input_year",
    "cvn_account": "cvn_account",
}


def check(data: dict[str, Any], origin: Origin) -> ImpactMap:
    """The engine's own checks, each refusal moved to the cell it comes from."""
    try:
        return parse_impact_map(data)
    except ValuationError as error:
        raise _placed(error, origin) from None


def _placed(error: ValuationError, origin: Origin) -> ValueMapError:
    match = re.match(r"^(inputs|outcomes)\[(\d+)\]\.?([a-z_]*)", error.path)
    columns = origin.columns
    if match is None:
        setting = origin.settings.get(error.path.rsplit(".", 1)[-1])
        if setting is None:
            return ValueMapError("", None, None, str(error))
        return ValueMapError(*setting, error.detail)
    group, index, field = match.group(1), int(match.group(2)), match.group(3)
    row = origin.rows[group][index]
    part = error.path[match.end() :].lstrip(".")
    key = FIELD_COLUMNS.get(field, field)
    if group == "outcomes" and field in RANGED and part in ("low", "high"):
        key = f"{field}_{part}" if f"{field}_{part}" in columns.found else field
    if group == "outcomes" and field == "quantity" and "yearly" in columns.found:
        key = "yearly" if part or key not in columns.found else key
    column = columns.name(key) if key in columns.found else None
    return ValueMapError(columns.sheet, row, column, error.detail)
