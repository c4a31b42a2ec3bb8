"""The observatory benchmark's own correctness on a tiny network (timings never asserted)."""

import pytest

from benchmarks.observatory import disagreements, floor_figures, generate, measure_pull
from tribu.observatory import figures


@pytest.mark.django_db
def test_the_figures_equal_the_sql_floor_on_generated_documents():
    assert generate(30, 2) == 60
    answer = figures.answer(False)
    assert answer.years == 60 and answer.platforms == 30
    assert disagreements(answer, floor_figures()) == []


@pytest.mark.django_db
def test_the_pull_benchmark_stores_every_document_then_nothing():
    lines = measure_pull(5, 1)  # asserts (5 stored, 0 refused) then (0, 0) itself
    assert lines[0].startswith("pull of 5 signed documents")
