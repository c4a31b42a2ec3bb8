"""What a value map looks like: its sheets, its headings in English and French, the
words of its cells, and how a refusal names the cell it comes from."""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

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


def heading(key: str, language: int) -> str:
    """The heading written for ``key`` in ``language`` (EN or FR)."""
    for name, english, french in (*COLUMNS, *SETTINGS):
        if name == key:
            return (english, french)[language][0]
    english, french = COMPUTED[key]
    return (english, french)[language][0]


TEMPLATE_FILES = ("value-map-template.xlsx", "modele-carte-de-la-valeur.xlsx")
