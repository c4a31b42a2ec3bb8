"""The forecast and dossier benchmark runs (its timings are never asserted)."""

from benchmarks.convince import measure


def test_the_benchmark_times_three_cases_against_the_balance_sheet(running):
    rows = measure(running.platform, running.hana.user, draws=100, repetitions=1)
    assert [name for name, _s, _r in rows][0] == "balance sheet (floor)"
    assert len(rows) == 3 and rows[0][2] == 1.0
