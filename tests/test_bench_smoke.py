"""The benchmark's own correctness on a tiny ledger (its timings are never asserted).

The benchmark writes ledgers in bulk; these tests pin down that what it writes is what the
services would have written (projections consistent with the raw events), and that
Tribu's host report and the raw-SQL floor it is compared with compute the same sums.
"""

from decimal import Decimal

import pytest
from django.db import connection

from benchmarks.bulkload import index_definitions
from benchmarks.floor import differences, floor_figures, tribu_figures
from benchmarks.generate import BULK_TABLES, generate
from benchmarks.measure import cases_for, check
from benchmarks.verify import projection_problems
from tribu.ledger.models import EconomicEvent, EventState, LedgerMonth
from tribu.platforms.models import Platform


@pytest.fixture
def ledger(db):
    return generate(2_000, 3, seed=7, prefix="smoke")


def test_it_generates_the_requested_events_with_every_status(ledger):
    assert EconomicEvent.objects.count() == 2_000
    assert EventState.objects.count() == 2_000
    assert all(ledger.counts[name] > 0 for name in ("proposed", "disputed", "corrected"))
    corrected = EventState.objects.filter(corrected=True)
    assert corrected.count() == ledger.counts["corrected"]
    assert not corrected.filter(counted=True).exists()
    assert EconomicEvent.objects.filter(corrects__isnull=False).count() == corrected.count()


def test_generated_projections_agree_with_the_raw_events(ledger):
    assert LedgerMonth.objects.exists()
    assert projection_problems() == []


def test_the_ledger_checks_pass_on_a_generated_ledger(ledger):
    """`tribu check` finds nothing wrong: statuses, counterparties, corrections, sums."""
    from tribu.ledger.checks import run_checks

    assert [r for r in run_checks() if not r.ok] == []


def test_indexes_set_aside_for_the_load_are_all_back(db):
    before = index_definitions(BULK_TABLES)
    assert len(before) >= 5
    generate(300, 1, seed=3, prefix="index")
    assert index_definitions(BULK_TABLES) == before


def test_a_tampered_monthly_sum_is_reported(ledger):
    row = LedgerMonth.objects.order_by("pk").first()
    LedgerMonth.objects.filter(pk=row.pk).update(quantity=row.quantity + Decimal(1))
    problems = projection_problems()
    assert len(problems) == 1 and "monthly sums differ" in problems[0]


def test_a_state_that_counts_a_disputed_event_is_reported(ledger):
    disputed = EventState.objects.filter(status="disputed").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_eventstate SET counted = %s WHERE event_id = %s",
            [True, disputed.event_id],
        )
    assert any("'counted'" in p for p in projection_problems())


def test_tribu_report_sums_equal_the_raw_sql_floor(ledger):
    platforms = list(Platform.objects.filter(pk__in=ledger.cast.platforms.tolist()))
    cases = cases_for(platforms)
    assert len(cases) == 9
    for case in cases:
        check(case)
        assert case.problems == [], case.label
        assert case.events > 0, case.label
        assert case.lines > 0, case.label


def test_the_comparison_sees_a_difference(ledger):
    """The floor and Tribu disagree as soon as one counted event is no longer counted."""
    case = cases_for(list(Platform.objects.filter(pk=ledger.cast.platforms[0])))[0]
    before = floor_figures(case.platform.pk, case.host.pk, case.period)
    event = EconomicEvent.objects.filter(
        platform=case.platform,
        receiver=case.host,
        state__counted=True,
        occurred_on__gte=case.period.start,
        occurred_on__lt=case.period.end,
    ).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_eventstate SET counted = %s WHERE event_id = %s", [False, event.pk]
        )
    after = floor_figures(case.platform.pk, case.host.pk, case.period)
    assert before != after
    tribu = tribu_figures(case.platform.pk, case.host.pk, case.period)
    assert differences(tribu, after) != []


def test_the_benchmark_refuses_to_drop_a_database_not_named_for_it():
    """Each run drops and recreates its PostgreSQL database: never the test or main one."""
    from benchmarks.run import _fresh_postgresql

    with pytest.raises(SystemExit, match="must contain “bench”"):
        _fresh_postgresql("postgres://postgres@127.0.0.1:5432/tribu")


def test_the_impact_map_floor_computes_the_engines_present_values():
    """The floor does the same Monte Carlo arithmetic as the engine, draw for draw."""
    from benchmarks.impact_map import floor_present_value, impact_map
    from tribu.valuation import parse_impact_map, simulate_arrays

    body = impact_map(outcomes=3, years=4, draws=500, inputs=2)
    engine = simulate_arrays(parse_impact_map(body))["present_value"]
    assert floor_present_value(body) == pytest.approx(engine, rel=1e-12)


def test_the_impact_map_worst_case_sits_at_the_limits():
    from benchmarks.impact_map import old_worst_map, work, worst_map
    from tribu.core.errors import TribuError
    from tribu.reports.api import MAX_DRAWN_YEARS, MAX_SENSITIVITY, check_limits
    from tribu.valuation import parse_impact_map

    drawn, sensitivity = work(worst_map())
    assert 0.9 * MAX_DRAWN_YEARS <= drawn <= MAX_DRAWN_YEARS
    assert 0.9 * MAX_SENSITIVITY <= sensitivity <= MAX_SENSITIVITY
    check_limits(parse_impact_map(worst_map()), None)
    with pytest.raises(TribuError):
        check_limits(parse_impact_map(old_worst_map()), None)
