"""Art. 238 bis CGI at its edges: gifts retained within max(20,000 €, 0.5 % of turnover),
60 % up to 2 M€ and 40 % above, the excess carried over five years."""

import pytest
from django.utils import translation

from tribu.core.errors import TribuError
from tribu.dossiers.sponsorship import sponsorship


def test_a_gift_below_half_a_percent_of_turnover_is_reduced_by_sixty_percent():
    # Turnover 10 M€: ceiling 50,000; gift 30,000 → 18,000 off, net 12,000.
    result = sponsorship(30000, 10_000_000)
    assert result["ceiling"] == "50000.00"
    assert result["reduction"] == "18000.00" and result["net_cost"] == "12000.00"
    assert len(result["years"]) == 1


def test_a_gift_above_half_a_percent_is_carried_over():
    # Ceiling 50,000; gift 120,000: 50,000 + 50,000 + 20,000 over three years.
    result = sponsorship(120000, 10_000_000)
    assert [y["retained"] for y in result["years"]] == ["50000.00", "50000.00", "20000.00"]
    assert result["reduction"] == "72000.00" and result["lost"] == "0.00"


def test_a_small_turnover_takes_the_20000_ceiling_and_loses_what_six_years_cannot_hold():
    # Turnover 1 M€: 0.5 % is 5,000, so the ceiling is 20,000; gift 150,000 → six years
    # of 20,000 retained (the gift's year and five more), 30,000 lost.
    result = sponsorship(150000, 1_000_000)
    assert result["ceiling"] == "20000.00"
    assert len(result["years"]) == 6
    assert result["reduction"] == "72000.00"  # 6 × 20,000 × 60 %
    assert result["lost"] == "30000.00"
    assert result["net_cost"] == "78000.00"


def test_a_gift_above_two_million_is_reduced_by_forty_percent_on_the_part_above():
    # Turnover 1 G€: ceiling 5 M€; gift 3 M€ → 60 % × 2 M€ + 40 % × 1 M€ = 1.6 M€.
    result = sponsorship(3_000_000, 1_000_000_000)
    assert result["reduction"] == "1600000.00"
    assert result["net_cost"] == "1400000.00"


@pytest.mark.parametrize(
    ("gift", "turnover", "words"),
    [(10000, None, "chiffre d’affaires"), (-5, 100, "positif"), (100, -1, "négatif")],
)
def test_bad_input_in_words(gift, turnover, words):
    with translation.override("fr"), pytest.raises(TribuError, match=words):
        sponsorship(gift, turnover)
