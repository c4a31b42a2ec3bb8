"""Fixtures for the valuation engine's tests: the worked cases, read from the shared
folder next to the repository when it is there, else from the copy kept here."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tribu.valuation import ImpactMap, parse_impact_map

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "cases"
COPY = HERE / "cases"


def cases_dir() -> Path:
    return SHARED if (SHARED / "sroi-basic.json").is_file() else COPY


def load_case(name: str) -> dict:
    return json.loads((cases_dir() / name).read_text(encoding="utf-8"))


def close(actual, expected: str, rel: float = 1e-6) -> bool:
    """``actual`` matches a figure printed as ``expected`` to 1e-6 relative, or to half
    a unit of its last printed digit when that is coarser (a figure printed to six
    decimals cannot be checked more finely than its own rounding)."""
    figure = Decimal(expected.replace(",", ""))
    printed = Decimal(1).scaleb(figure.as_tuple().exponent) / 2
    tolerance = max(
        Decimal(str(rel)) * abs(figure), printed if figure.as_tuple().exponent < 0 else 0
    )
    return abs(Decimal(str(actual)) - figure) <= tolerance


@pytest.fixture
def basic_data() -> dict:
    return load_case("sroi-basic.json")


@pytest.fixture
def basic(basic_data) -> ImpactMap:
    return parse_impact_map(basic_data)


@pytest.fixture
def symmetric() -> ImpactMap:
    return parse_impact_map(load_case("sroi-symmetric.json"))
