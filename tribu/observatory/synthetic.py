"""Generated indicator documents: the demo's illustrative peers and the benchmarks.

They are valid `tribu-indicators/1` documents with plausible figures drawn from a seeded
generator; they describe no real place and always say `illustrative: true` unless a
benchmark asks otherwise.
"""

import random

from tribu.platforms.models import CarrierProfile, CauseCategory

from .indicators import ROLES, SCHEMA

REGIONS = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93")
COMMUNES = {
    "11": "75110", "24": "45234", "27": "21231", "28": "76540", "32": "59350", "44": "67482",
    "52": "44109", "53": "35238", "75": "33063", "76": "31555", "84": "69123", "93": "13055",
}  # fmt: skip


def _economics(rng: random.Random, scale: float) -> dict:
    costs = round(rng.uniform(20_000, 120_000) * scale, 2)
    ratio = round(rng.lognormvariate(0.05, 0.45), 4)
    benefits = round(costs * ratio, 2)
    revenue = round(benefits * rng.uniform(0.1, 0.5), 2)
    spread = rng.uniform(0.15, 0.5)
    p5, p95 = round(ratio * (1 - spread), 4), round(ratio * (1 + spread), 4)
    p_above = min(max((ratio - 1) / (ratio * spread * 2) + 0.5, 0.0), 1.0)
    return {
        "currency": "EUR",
        "market_revenue": revenue,
        "market_costs": costs,
        "non_market_value": {"desk-month": round(benefits - revenue, 2)},
        "extended_benefits": benefits,
        "extended_costs": costs,
        "ratio": ratio,
        "ratio_p5": p5,
        "ratio_p50": ratio,
        "ratio_p95": p95,
        "p_ratio_above_1": round(p_above, 4),
        "draws": 2000,
        "catalogue_version": 1,
    }


def _activity(rng: random.Random) -> dict:
    roles = dict.fromkeys(ROLES, 0) | {
        "host": rng.randint(1, 3),
        "facilitator": rng.randint(1, 3),
        "resident": rng.randint(5, 60),
        "guest": rng.randint(0, 30),
    }
    recorded = rng.randint(100, 3000)
    return {
        "members_by_role": roles,
        "occupants": roles["host"] + roles["facilitator"] + roles["resident"],
        "newcomers": rng.randint(0, 20),
        "flows_recorded": recorded,
        "flows_confirmed_share": round(rng.uniform(0.6, 1.0), 4),
        "public_gatherings": rng.randint(0, 60),
        "public_attendance": rng.randint(0, 2000),
        "private_gatherings": rng.randint(0, 20),
        "private_attendance": rng.randint(0, 400),
        "learning_expeditions": rng.randint(0, 12),
        "volunteers": rng.randint(0, 40),
        "volunteer_hours": float(rng.randint(0, 2000)),
    }


def document(
    issuer: str,
    number: int,
    year: int,
    rng: random.Random,
    *,
    name: str,
    illustrative: bool = True,
    issued_at: str = "2026-01-15T09:00:00Z",
) -> dict:
    """Platform `number` of a generated network, in `year`; the same seed gives the same."""
    place = random.Random(f"{issuer}/{number}")  # noqa: S311 - a place keeps its kind
    region = place.choice(REGIONS)
    economics = _economics(rng, place.uniform(0.5, 2.0))
    activity = _activity(rng)
    confirmed = round(activity["flows_recorded"] * activity["flows_confirmed_share"])
    return {
        "schema": SCHEMA,
        "id": f"{issuer}/place-{number}/{year}/1",
        "issuer": issuer,
        "issued_at": issued_at,
        "platform": {"ref": f"place-{number}", "name": name},
        "year": year,
        "period": {"from": f"{year}-01-01", "to": f"{year + 1}-01-01"},
        "complete_year": True,
        "illustrative": illustrative,
        "place": {
            "cause_category": place.choice(CauseCategory.values[:6]),
            "carrier_profile": place.choice(CarrierProfile.values),
            "surface_m2": place.randint(80, 2500),
            "capacity": place.randint(10, 200),
            "opening_date": f"{place.randint(2012, 2022)}-0{place.randint(1, 9)}-01",
            "region_code": region,
            "commune_code": COMMUNES[region],
        },
        "activity": activity,
        "economics": economics,
        "quality": {
            "events_confirmed": confirmed,
            "events_declared_only": activity["flows_recorded"] - confirmed,
            "events_disputed": 0,
            "events_per_line": {"desk-month": confirmed},
        },
    }
