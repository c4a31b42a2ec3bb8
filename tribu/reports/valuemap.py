"""The value map spreadsheet, in and out.

Practitioners keep impact maps in the value map published by Social Value UK: one row
per outcome, with its stakeholder, inputs, outputs, indicator, quantity, duration,
outcomes start, financial proxy and source, deadweight, displacement, attribution and
drop-off. ``read_value_map`` turns such a sheet (headings in English, or in French as
French practitioners translate them) into an impact-map file, checked by the engine;
``write_value_map`` writes one back with the figures filled in. The engine stays pure:
the spreadsheet lives here.

Beyond the published columns, optional ones carry what the engine knows and the
published map does not (low and high values, yearly quantities, market, headline,
in-kind accounts), and an optional "Settings" sheet the name, currency, discount rate,
discounting and simulation: a map written here reads back to the same evaluation.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tribu.valuation import ImpactMap, ValuationError, parse_impact_map
from tribu.valuation.model import FRACTIONS, RANGED

EN, FR = 0, 1
SHEETS = {
    "map": ("Value map", "Carte de la valeur"),
    "settings": ("Settings", "Paramètres"),
    "results": ("Results", "Résultats"),
}
MAP_SHEET_NAMES = (
    "value map", "impact map", "carte de la valeur", "carte de valeur", "carte des impacts",
    "carte d impact", "carte de l impact",
)  # fmt: skip

# (key, English headings, French headings): the first of each is the one written.
COLUMNS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("stakeholder", ("Stakeholders", "Stakeholder"), ("Parties prenantes", "Partie prenante")),
    (
        "change",
        ("Intended/unintended changes", "Intended changes", "Changes"),
        ("Changements voulus/non voulus", "Changements attendus/inattendus", "Changements"),
    ),
    (
        "input_label",
        ("Inputs", "Input"),
        ("Ressources", "Ressource", "Contributions", "Contribution", "Intrants", "Intrant"),
    ),
    (
        "input_amount",
        ("Input value", "Value of inputs"),
        (
            "Valeur des ressources",
            "Valeur de la ressource",
            "Valeur des contributions",
            "Valeur des intrants",
        ),
    ),
    ("input_year", ("Input year",), ("Année de la ressource", "Année de l'intrant")),
    ("output", ("Outputs", "Output"), ("Réalisations", "Réalisation", "Extrants", "Produits")),
    (
        "label",
        ("Outcomes (what changes)", "The outcomes (what changes)", "Outcomes", "Outcome"),
        (
            "Effets (ce qui change)",
            "Effets",
            "Effet",
            "Résultats (ce qui change)",
            "Résultats",
            "Résultat",
            "Changements obtenus",
        ),
    ),
    ("indicator", ("Indicator",), ("Indicateur",)),
    ("indicator_source", ("Indicator source",), ("Source de l'indicateur",)),
    ("quantity", ("Quantity",), ("Quantité",)),
    (
        "yearly",
        ("Quantities by year", "Yearly quantities"),
        ("Quantités par année", "Quantités annuelles"),
    ),
    ("duration", ("Duration (years)", "Duration"), ("Durée (années)", "Durée")),
    (
        "start",
        ("Outcomes start", "Outcome start"),
        ("Début des effets", "Démarrage des effets", "Début des résultats"),
    ),
    (
        "proxy_label",
        ("Financial proxy",),
        (
            "Indicateur financier",
            "Proxy financier",
            "Approximation financière",
            "Équivalent monétaire",
        ),
    ),
    ("proxy", ("Proxy value", "Value of the proxy"), ("Valeur du proxy", "Valeur financière")),
    ("proxy_source", ("Proxy source",), ("Source du proxy", "Source de l'indicateur financier")),
    ("deadweight", ("Deadweight",), ("Poids mort",)),
    ("displacement", ("Displacement",), ("Déplacement",)),
    ("attribution", ("Attribution",), ("Attribution",)),
    ("drop_off", ("Drop-off", "Drop off"), ("Érosion", "Diminution", "Dégressivité")),
    ("proxy_low", ("Proxy (low)",), ("Proxy (bas)",)),
    ("proxy_high", ("Proxy (high)",), ("Proxy (haut)",)),
    ("deadweight_low", ("Deadweight (low)",), ("Poids mort (bas)",)),
    ("deadweight_high", ("Deadweight (high)",), ("Poids mort (haut)",)),
    ("displacement_low", ("Displacement (low)",), ("Déplacement (bas)",)),
    ("displacement_high", ("Displacement (high)",), ("Déplacement (haut)",)),
    ("attribution_low", ("Attribution (low)",), ("Attribution (basse)", "Attribution (bas)")),
    ("attribution_high", ("Attribution (high)",), ("Attribution (haute)", "Attribution (haut)")),
    ("drop_off_low", ("Drop-off (low)",), ("Érosion (basse)", "Érosion (bas)")),
    ("drop_off_high", ("Drop-off (high)",), ("Érosion (haute)", "Érosion (haut)")),
    ("market", ("Market",), ("Marchand",)),
    ("headline", ("Headline",), ("Dans le total",)),
    ("direction", ("Benefit or cost",), ("Bénéfice ou coût",)),
    ("cvn_account", ("In-kind account",), ("Compte CVN",)),
    ("key", ("Key",), ("Clé",)),
)
# Written with the figures, ignored when read: the engine computes them again.
COMPUTED = {
    "impact": (("Impact",), ("Impact",)),
    "present_value": (("Present value",), ("Valeur actuelle",)),
}
YEAR = ("Year", "Année")
# Headings the published map repeats; they take their meaning from the one before.
AFTER = {
    "value": {"input_label": "input_amount", "proxy_label": "proxy"},
    "valeur": {"input_label": "input_amount", "proxy_label": "proxy"},
    "source": {"indicator": "indicator_source", "proxy": "proxy_source"},
    "description": {"output": "label", "change": "label", "stakeholder": "label"},
}
REQUIRED = ("label", "proxy", "deadweight", "displacement", "attribution")

SETTINGS = (
    ("name", ("Name",), ("Nom",)),
    ("currency", ("Currency",), ("Devise",)),
    ("discount_rate", ("Discount rate",), ("Taux d'actualisation",)),
    ("discounting", ("Discounting",), ("Actualisation",)),
    ("draws", ("Monte Carlo draws",), ("Tirages Monte Carlo",)),
    ("seed", ("Seed",), ("Graine",)),
)
DISCOUNTING_WORDS = {
    "end_of_year": ("end of year", "fin d'année"),
    "mid_year": ("mid-year", "milieu d'année"),
}
YES, NO = ("yes", "oui"), ("no", "non")
DIRECTION_WORDS = {"benefit": ("benefit", "bénéfice"), "cost": ("cost", "coût")}


def normal(text: Any) -> str:
    """A heading as compared: no accents, case, currency signs or punctuation."""
    text = unicodedata.normalize("NFKD", str(text))
    # Accents go; any other sign (’ « € £ %) separates words like a space.
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _table(rows) -> dict[str, str]:
    return {normal(word): key for key, english, french in rows for word in (*english, *french)}


HEADING_KEYS = _table(COLUMNS)
SETTING_KEYS = _table(SETTINGS)
COMPUTED_HEADINGS = {normal(w) for en, fr in COMPUTED.values() for w in (*en, *fr)}


class ValueMapError(ValueError):
    """A refusal that names the sheet, the row and the column."""

    def __init__(self, sheet: str, row: int | None, column: str | None, detail: str):
        self.sheet, self.row, self.column, self.detail = sheet, row, column, detail
        parts = [_("sheet “%(sheet)s”") % {"sheet": sheet}] if sheet else []
        if row is not None:
            parts.append(_("row %(row)s") % {"row": row})
        if column is not None:
            parts.append(_("column %(column)s") % {"column": column})
        where = ", ".join(parts)
        text = _("%(where)s: %(detail)s") % {"where": where, "detail": detail} if parts else detail
        super().__init__(text)


@dataclass
class Columns:
    """Where each known heading sits in the sheet: key → (column number, heading)."""

    sheet: str
    row: int
    found: dict[str, tuple[int, str]]
    first: int  # the first row of data

    def name(self, key: str) -> str:
        number, heading = self.found[key]
        return f"{get_column_letter(number)} ({heading})"

    def error(self, row: int, key: str | None, detail: str) -> ValueMapError:
        column = self.name(key) if key in self.found else None
        return ValueMapError(self.sheet, row, column, detail)


# --- reading -------------------------------------------------------------------


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
            heading = _heading(key, EN) + " / " + _heading(key, FR)
            raise ValueMapError(sheet.title, number, None, _("no column “%(h)s”") % {"h": heading})
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


# --- writing -------------------------------------------------------------------


def _heading(key: str, language: int) -> str:
    for name, english, french in (*COLUMNS, *SETTINGS):
        if name == key:
            return (english, french)[language][0]
    english, french = COMPUTED[key]
    return (english, french)[language][0]


def _language(code: str | None) -> int:
    return FR if (code or "fr").startswith("fr") else EN


BOLD = Font(bold=True)
HEAD = PatternFill("solid", fgColor="DDE7E4")
PERCENT = "0.##%"
MONEY = "#,##0.00"


def _put(sheet, row: int, column: int, value: Any, number_format: str | None = None):
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        # Text stays text: a label starting with "=" must never become a formula.
        cell.data_type = "s"
    if number_format == PERCENT and isinstance(value, int | float | Decimal):
        # 25 % rather than 25.00 %, but 12.5 % in full.
        number_format = "0%" if (Decimal(str(value)) * 100) % 1 == 0 else "0.0##%"
    if number_format:
        cell.number_format = number_format
    return cell


def _word(value: bool, language: int) -> str:
    return (YES if value else NO)[language]


def _range_cells(outcome, name: str) -> dict[str, Any]:
    values = getattr(outcome, name)
    cells: dict[str, Any] = {name: values.central}
    if not values.is_exact:
        cells[f"{name}_low"], cells[f"{name}_high"] = values.low, values.high
    return cells


def _outcome_cells(outcome, language: int) -> dict[str, Any]:
    cells: dict[str, Any] = {
        "stakeholder": outcome.stakeholder or None,
        "label": outcome.label,
        "start": outcome.start_year,
        "duration": outcome.duration_years,
        "market": _word(outcome.market, language),
        "headline": _word(outcome.headline, language),
        "direction": DIRECTION_WORDS[outcome.direction][language],
        "cvn_account": outcome.cvn_account,
        "key": outcome.key or None,
    }
    for name in ("change", "output", "indicator", "indicator_source", "proxy_label"):
        cells[name] = getattr(outcome, name) or None
    cells["proxy_source"] = outcome.proxy_source or None
    if outcome.yearly_quantities:
        cells["yearly"] = "; ".join(f"{q.normalize():f}" for q in outcome.yearly_quantities)
        del cells["duration"]
    else:
        cells["quantity"] = outcome.quantity
    for name in RANGED:
        if name == "drop_off" and outcome.yearly_quantities:
            continue
        cells.update(_range_cells(outcome, name))
    return cells


def _formats(key: str) -> str | None:
    fraction = key in FRACTIONS or key.rsplit("_", 1)[0] in FRACTIONS
    if fraction:
        return PERCENT
    if key in ("input_amount", "proxy", "proxy_low", "proxy_high", "impact", "present_value"):
        return MONEY
    return None


def _write_map(sheet, imap: ImpactMap, result: dict | None, language: int) -> None:
    keys = [key for key, *_words in COLUMNS]
    computed = ["impact", "present_value"] if result else []
    lines = result["central"]["outcomes"] if result else []
    years = max((len(line["impact_by_year"]) for line in lines), default=0)
    _put(sheet, 1, 1, imap.name).font = Font(bold=True, size=14)
    headings = [_heading(key, language) for key in (*keys, *computed)]
    headings += [f"{YEAR[language]} {t}" for t in range(1, years + 1)]
    for column, heading in enumerate(headings, start=1):
        cell = _put(sheet, 3, column, heading)
        cell.font, cell.fill = BOLD, HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = 16
    row = 4
    for item in imap.inputs:
        cells = {
            "stakeholder": item.stakeholder or None,
            "input_label": item.label,
            "input_amount": item.amount,
            "input_year": item.year,
        }
        _write_row(sheet, row, keys, cells)
        row += 1
    lines = result["central"]["outcomes"] if result else [None] * len(imap.outcomes)
    for outcome, line in zip(imap.outcomes, lines, strict=True):
        cells = _outcome_cells(outcome, language)
        if line is not None:
            cells["impact"], cells["present_value"] = (
                line["value_first_year"],
                line["present_value"],
            )
        _write_row(sheet, row, [*keys, *computed], cells)
        for t, amount in enumerate(line["impact_by_year"] if line else [], start=1):
            _put(sheet, row, len(keys) + len(computed) + t, amount, MONEY)
        row += 1
    sheet.freeze_panes = "B4"


def _write_row(sheet, row: int, keys: list[str], cells: dict[str, Any]) -> None:
    for column, key in enumerate(keys, start=1):
        value = cells.get(key)
        if value is not None:
            _put(sheet, row, column, value, _formats(key))


def _write_settings(sheet, imap: ImpactMap, language: int) -> None:
    values = {
        "name": imap.name,
        "currency": imap.currency,
        "discount_rate": imap.discount_rate,
        "discounting": DISCOUNTING_WORDS[imap.discounting][language],
        "draws": imap.draws,
        "seed": imap.seed,
    }
    for row, (key, english, french) in enumerate(SETTINGS, start=1):
        _put(sheet, row, 1, (english, french)[language][0]).font = BOLD
        _put(sheet, row, 2, values[key], PERCENT if key == "discount_rate" else None)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 40


RESULTS = (
    ("discounting", "Discounting", "Actualisation"),
    ("present_value", "Present value", "Valeur actuelle"),
    ("inputs", "Inputs (present value)", "Ressources (valeur actuelle)"),
    ("npv", "Net present value", "Valeur actuelle nette"),
    ("sroi", "SROI ratio", "Ratio SROI"),
    ("net_sroi", "Net SROI ratio", "Ratio SROI net"),
    ("pessimistic", "Pessimistic SROI ratio", "Ratio SROI pessimiste"),
    ("optimistic", "Optimistic SROI ratio", "Ratio SROI optimiste"),
    ("mc_mean", "Monte Carlo: mean SROI ratio", "Monte Carlo : ratio SROI moyen"),
    ("mc_p5", "Monte Carlo: P5", "Monte Carlo : P5"),
    ("mc_p95", "Monte Carlo: P95", "Monte Carlo : P95"),
    ("p_above_1", "Probability that SROI exceeds 1", "Probabilité que le SROI dépasse 1"),
)
STAKEHOLDER_HEADINGS = (
    ("Stakeholder", "Present value", "Share", "Share, mean", "Share, P5", "Share, P95"),
    ("Partie prenante", "Valeur actuelle", "Part", "Part, moyenne", "Part, P5", "Part, P95"),
)


def _results(result: dict, language: int) -> dict[str, Any]:
    central, carlo = result["central"], result["monte_carlo"]
    sroi = carlo["sroi"] or {}
    return {
        "discounting": DISCOUNTING_WORDS[result["discounting"]][language],
        **{key: central[key] for key in ("present_value", "inputs", "npv", "sroi", "net_sroi")},
        "pessimistic": result["pessimistic"]["sroi"],
        "optimistic": result["optimistic"]["sroi"],
        "mc_mean": sroi.get("mean"),
        "mc_p5": sroi.get("p5"),
        "mc_p95": sroi.get("p95"),
        "p_above_1": carlo["p_sroi_above_1"],
    }


def _write_results(sheet, result: dict, language: int) -> None:
    """The headline figures, then the value by stakeholder."""
    values = _results(result, language)
    for row, (key, *words) in enumerate(RESULTS, start=1):
        _put(sheet, row, 1, words[language]).font = BOLD
        money = key in ("present_value", "inputs", "npv")
        number_format = MONEY if money else PERCENT if key == "p_above_1" else "0.0000"
        _put(sheet, row, 2, values[key], None if key == "discounting" else number_format)
    first = len(RESULTS) + 2
    for column, heading in enumerate(STAKEHOLDER_HEADINGS[language], start=1):
        _put(sheet, first, column, heading).font = BOLD
    carlo = {b["stakeholder"]: b["share"] or {} for b in result["monte_carlo"]["by_stakeholder"]}
    for row, line in enumerate(result["central"]["by_stakeholder"], start=first + 1):
        drawn = carlo.get(line["stakeholder"], {})
        cells = (
            (line["stakeholder"], None),
            (line["present_value"], MONEY),
            (line["share"], PERCENT),
            (drawn.get("mean"), PERCENT),
            (drawn.get("p5"), PERCENT),
            (drawn.get("p95"), PERCENT),
        )
        for column, (value, number_format) in enumerate(cells, start=1):
            if value is not None:
                _put(sheet, row, column, value, number_format)
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 18


def write_value_map(imap: ImpactMap, result: dict | None = None, language: str = "fr") -> bytes:
    """The value map of ``imap`` as an XLSX workbook; with ``result`` (from
    ``evaluate``) the figures are filled in: impact, present value and impact by year
    per outcome, and a results sheet."""
    lang = _language(language)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEETS["map"][lang]
    _write_map(sheet, imap, result, lang)
    _write_settings(book.create_sheet(SHEETS["settings"][lang]), imap, lang)
    if result is not None:
        _write_results(book.create_sheet(SHEETS["results"][lang]), result, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXAMPLE = (
    {
        "name": "Community workshop, first three years",
        "inputs": [
            {"label": "Fit-out of the workshop", "amount": 10000, "stakeholder": "Host"},
        ],
        "outcomes": [
            {
                "label": "Residents repair instead of buying",
                "stakeholder": "Residents",
                "change": "Spend less, keep things longer",
                "output": "20 residents trained",
                "indicator": "Repairs reported in the yearly survey",
                "indicator_source": "Yearly survey",
                "quantity": 20,
                "duration_years": 3,
                "proxy_label": "Price of a new appliance",
                "proxy": {"low": 800, "central": 1000, "high": 1200},
                "proxy_source": "Consumer price survey",
                "deadweight": 0.25,
                "displacement": 0,
                "attribution": 0.2,
                "drop_off": 0.1,
            }
        ],
    },
    {
        "name": "Atelier partagé, trois premières années",
        "inputs": [{"label": "Aménagement de l’atelier", "amount": 10000, "stakeholder": "Hôte"}],
        "outcomes": [
            {
                "label": "Les habitants réparent au lieu d’acheter",
                "stakeholder": "Habitants",
                "change": "Dépenser moins, garder les objets plus longtemps",
                "output": "20 habitants formés",
                "indicator": "Réparations déclarées dans l’enquête annuelle",
                "indicator_source": "Enquête annuelle",
                "quantity": 20,
                "duration_years": 3,
                "proxy_label": "Prix d’un appareil neuf",
                "proxy": {"low": 800, "central": 1000, "high": 1200},
                "proxy_source": "Enquête sur les prix à la consommation",
                "deadweight": 0.25,
                "displacement": 0,
                "attribution": 0.2,
                "drop_off": 0.1,
            }
        ],
    },
)
TEMPLATE_FILES = ("value-map-template.xlsx", "modele-carte-de-la-valeur.xlsx")


def template(language: str = "fr") -> bytes:
    """A value map to fill in: the headings, one worked row and the settings."""
    lang = _language(language)
    return write_value_map(parse_impact_map(EXAMPLE[lang]), None, ("en", "fr")[lang])
