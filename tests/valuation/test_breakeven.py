"""Break-even answers against hand arithmetic (DESIGN.md, "Forecast, break-even and
dossiers"): rent R* = B − (C − R); quantity q* = q + (C − B) / unit value."""

from decimal import Decimal as D

from tribu.valuation import BalanceLine, Range
from tribu.valuation.breakeven import Lever, balance_levers, break_even


def line(key, quantity, proxy, deadweight=0, attribution=0, headline=True, direction="benefit"):
    return BalanceLine(
        key=key,
        label=key,
        unit="u",
        quantity=D(quantity),
        proxy=Range.exact(proxy),
        deadweight=Range.exact(deadweight),
        displacement=Range.exact(0),
        attribution=Range.exact(attribution),
        headline=headline,
        direction=direction,
    )


def test_break_even_rent_and_quantities_below_one():
    # Desks: 36 × 400 × 0.75 = 10,800 (unit 300). Nights: 68 × 180 × 0.8 = 9,792 (unit 144).
    levers = balance_levers([line("desk", 36, 400, "0.25"), line("night", 68, 180, "0.2")])
    rent = Lever("rent", "Rent", "EUR", D(30000), D(1), "cost")
    # B = 20,592; C = 30,000 rent + 6,000 other = 36,000; gap 15,408.
    result = break_even(D(20592), D(36000), levers, rent)
    assert result["direction"] == "rise"
    assert result["gap"] == "15408.00"
    # R* = 20,592 − (36,000 − 30,000) = 14,592.
    assert result["rent"]["needed"] == "14592.00"
    assert result["rent"]["multiple"] == "0.49"  # 14,592 / 30,000 = 0.4864
    desk, night = result["lines"]
    assert desk["needed"] == "87.36"  # 36 + 15,408 / 300
    assert desk["multiple"] == "2.43"  # 87.36 / 36 = 2.4267
    assert night["needed"] == "175.00"  # 68 + 15,408 / 144 = 175
    assert result["alone"] is True and result["pair"] is None


def test_above_one_the_answers_say_how_far_things_may_fall():
    levers = [Lever("desk", "Desks", "u", D(10), D(300))]
    rent = Lever("rent", "Rent", "EUR", D(1000), D(1), "cost")
    result = break_even(D(3000), D(2000), levers, rent)
    assert result["direction"] == "fall"
    assert result["rent"]["needed"] == "2000.00"  # 3,000 − (2,000 − 1,000)
    assert result["lines"][0]["needed"] == "6.67"  # 10 − 1,000 / 300


def test_a_line_without_unit_value_answers_none_and_off_headline_lines_are_no_lever():
    levers = balance_levers(
        [line("press", 3, 0), line("shown-apart", 5, 100, headline=False), line("x", 1, 50)]
    )
    assert [lever.key for lever in levers] == ["press", "x"]
    result = break_even(D(50), D(100), levers)
    press, x = result["lines"]
    assert press["needed"] is None and press["reason"] == "no_unit_value"
    assert x["needed"] == "2.00" and x["multiple"] == "2.00"


def test_when_no_line_can_alone_the_smallest_pair_does():
    # Gap 1,000. Desks: 10 × 50 = 500 today, at most 20 (room 500). Nights: 5 × 100 = 500,
    # at most 12 (room 700). Neither closes 1,000 alone.
    desks = Lever("desk", "Desks", "u", D(10), D(50), ceiling=D(20))
    nights = Lever("night", "Nights", "u", D(5), D(100), ceiling=D(12))
    rooms = Lever("room", "Rooms", "u", D(1), D(10), ceiling=D(2))
    result = break_even(D(1000), D(2000), [desks, nights, rooms])
    assert result["alone"] is False
    assert {line["reason"] for line in result["lines"]} == {"above_ceiling"}
    pair = result["pair"]
    # Both at +s × today's: 500 s + 500 s = 1,000 → s = 1: desks 20, nights 10.
    assert pair["stretch"] == "1.00"
    assert [(lever["key"], lever["to"]) for lever in pair["levers"]] == [
        ("desk", "20.00"),
        ("night", "10.00"),
    ]


def test_the_pair_respects_a_ceiling_reached_on_the_way():
    # Gap 900. Desks room 100 (stops at s = 0.2); nights rate 500, room 800.
    desks = Lever("desk", "Desks", "u", D(10), D(50), ceiling=D(12))
    nights = Lever("night", "Nights", "u", D(5), D(100), ceiling=D(13))
    result = break_even(D(1000), D(1900), [desks, nights])
    # 100 + 500 s = 900 → s = 1.6; nights 5 + 8 = 13.
    assert result["pair"]["stretch"] == "1.60"
    assert [lever["to"] for lever in result["pair"]["levers"]] == ["12.00", "13.00"]


def test_no_pair_can_and_no_costs_means_no_direction():
    lonely = Lever("desk", "Desks", "u", D(1), D(1), ceiling=D(2))
    assert break_even(D(1), D(100), [lonely])["pair"] is None
    assert break_even(D(1), D(0), [lonely])["direction"] == "none"
