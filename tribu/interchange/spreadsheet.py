"""The events spreadsheet template, in French or English: the columns the import reads,
one example row, and a second sheet that explains each column."""

from io import BytesIO

import openpyxl
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.styles import Font

COLUMNS = (
    "key",
    "action",
    "provider",
    "receiver",
    "spec",
    "quantity",
    "date",
    "money_amount",
    "declared_value",
    "note",
    "evidence",
    "recorded_by",
    "status",
    "confirmed_by",
    "corrects",
)
EXAMPLE = (
    "2026-03-001",
    "deliverService",
    "alice",
    "hote",
    "volunteer-hour",
    3,
    "2026-03-10",
    None,
    None,
    "",
    "",
    "alice",
    "confirmed",
    "hana",
    "",
)


def explanations() -> dict[str, str]:
    return {
        "key": _("a unique reference of the row (importing the sheet twice adds nothing)"),
        "action": _("use, deliverService, transfer, work, cite, produce or consume"),
        "provider": _("who gives: the agent's short name in the platform"),
        "receiver": _("who receives: the agent's short name in the platform"),
        "spec": _("what flows: a specification of the platform's catalogue"),
        "quantity": _("how much, in the specification's unit"),
        "date": _("the day (YYYY-MM-DD)"),
        "money_amount": _("the amount paid, for market flows"),
        "declared_value": _("the declared value, for flows valued one by one"),
        "note": _("a note"),
        "evidence": _("a link to the evidence"),
        "recorded_by": _("who records the row"),
        "status": _("proposed, confirmed or disputed"),
        "confirmed_by": _("who confirmed it (the counterparty)"),
        "corrects": _("the key of the row this one corrects"),
    }


def events_template(language: str) -> bytes:
    """The template as an XLSX file, its explanations in `language` (fr or en)."""
    with translation.override(language):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = _("Events")
        sheet.append(COLUMNS)
        sheet.append(EXAMPLE)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        help_sheet = book.create_sheet(_("Read me"))
        help_sheet.append((_("column"), _("what it holds")))
        for name, text in explanations().items():
            help_sheet.append((name, text))
        out = BytesIO()
        book.save(out)
        return out.getvalue()
