"""Events from a spreadsheet: the checks and messages of a CSV table, naming the sheet,
the row and the column; a template to download in French and English."""

from io import BytesIO

import openpyxl
import pytest
from django.test import Client
from django.utils import translation

from tribu.interchange import FileError, import_events_csv
from tribu.interchange.spreadsheet import COLUMNS
from tribu.ledger.models import EconomicEvent, EventState

HEADER = ["key", "provider", "receiver", "spec", "quantity", "date", "recorded_by", "status"]


def sheet(tmp_path, rows, header=HEADER, name="flows.xlsx"):
    book = openpyxl.Workbook()
    book.active.title = "Flux"
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_a_sheet_imports_as_a_csv_table_does(tribe, tmp_path):
    from datetime import datetime

    rows = [
        ["x1", "alice", "hote", "volunteer-hour", 2.5, datetime(2026, 3, 10), "alice", None],
        ["x2", "bob", "hote", "volunteer-hour", 1, "2026-03-11", "bob", "proposed"],
    ]
    summary = import_events_csv(sheet(tmp_path, rows), "essai")
    assert summary.events == 2
    first = EconomicEvent.objects.get(import_key="x1")
    assert str(first.resource_quantity.normalize()) == "2.5"
    assert first.has_point_in_time is None and str(first.occurred_on) == "2026-03-10"


def test_a_bad_row_is_named_by_sheet_row_and_column(tribe, tmp_path):
    rows = [
        ["x1", "alice", "hote", "volunteer-hour", 1, "2026-03-10", "alice", None],
        ["x2", "zoe", "hote", "volunteer-hour", 1, "2026-03-10", "alice", None],
    ]
    with translation.override("en"), pytest.raises(FileError) as error:
        import_events_csv(sheet(tmp_path, rows), "essai")
    assert str(error.value) == (
        "flows.xlsx, sheet “Flux”, row 3: column B (provider): no agent “zoe” in this platform"
    )
    assert not EconomicEvent.objects.filter(platform=tribe.platform).exists()


def test_an_unknown_column_is_named_in_the_header_row(tribe, tmp_path):
    with translation.override("en"), pytest.raises(FileError) as error:
        import_events_csv(sheet(tmp_path, [], header=[*HEADER, "colour"]), "essai")
    assert str(error.value) == "flows.xlsx, sheet “Flux”, row 1: unknown column “colour”"


@pytest.mark.parametrize(("language", "title"), [("fr", "Événements"), ("en", "Events")])
def test_the_template_downloads_in_both_languages_and_imports(tribe, tmp_path, language, title):
    response = Client().get(f"/api/templates/events.xlsx?language={language}")
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book.sheetnames[0] == title and len(book.sheetnames) == 2
    assert [c.value for c in book.worksheets[0][1]] == list(COLUMNS)
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    with translation.override("en"):
        summary = import_events_csv(path, "essai", dry_run=True)
    assert (summary.events, summary.status_changes) == (1, 1)
    assert summary.notes == [
        "would record 2026-03-001: alice → hote, 3 hour volunteer-hour, 2026-03-10 (Confirmed)"
    ]
    assert not EventState.objects.filter(platform=tribe.platform).exists()
