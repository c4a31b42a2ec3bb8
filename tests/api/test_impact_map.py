"""`POST /api/reports/impact-map` takes the practitioners' additions (start year, yearly
quantities, mid-year discounting, value by stakeholder) and documents its request."""

import pytest
from django.test import Client

PATH = "/api/reports/impact-map"
MAP = {
    "name": "Atelier",
    "discounting": "mid_year",
    "inputs": [{"label": "Rent", "amount": 1000}],
    "outcomes": [
        {  # 10 × 100 × 0.9 × 0.8 = 720 in year 2, 360 in year 3
            "label": "Desks",
            "stakeholder": "Residents",
            "quantity": 10,
            "proxy": 100,
            "deadweight": 0.1,
            "displacement": 0,
            "attribution": 0.2,
            "drop_off": 0.5,
            "duration_years": 2,
            "start_year": 2,
        },
        {  # 50 × 0.5 = 25 per person: 100 in year 1, 50 in year 2
            "label": "Evenings",
            "stakeholder": "Neighbours",
            "quantity": [4, 2],
            "proxy": 50,
            "deadweight": 0,
            "displacement": 0,
            "attribution": 0.5,
        },
    ],
    "simulation": {"draws": 300, "seed": 5},
}


def post(client, body, **headers):
    return client.post(PATH, body, content_type="application/json", headers=headers)


def test_the_additions_reach_the_api(world):
    response = post(world.client("alice-autre"), MAP)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["discounting"] == "mid_year"
    residents = 720 / 1.035**1.5 + 360 / 1.035**2.5
    neighbours = 100 / 1.035**0.5 + 50 / 1.035**1.5
    central = body["central"]
    assert central["impact_by_year"] == pytest.approx([100, 770, 360])
    assert central["present_value"] == pytest.approx(residents + neighbours, rel=1e-12)
    shares = {s["stakeholder"]: s["share"] for s in central["by_stakeholder"]}
    assert shares == pytest.approx(
        {
            "Residents": residents / (residents + neighbours),
            "Neighbours": neighbours / (residents + neighbours),
        }
    )
    drawn = [s["share"]["mean"] for s in body["monte_carlo"]["by_stakeholder"]]
    assert sum(drawn) == pytest.approx(1)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"discountng": "mid_year"}, "discountng"),
        ({"inputs": "none"}, "inputs"),
        ({"discounting": "middle"}, "discounting"),
        ({"outcomes": [{**MAP["outcomes"][0], "start_yaer": 2}]}, "start_yaer"),
        ({"outcomes": [{**MAP["outcomes"][0], "start_year": 51}]}, "start_year"),
        ({"outcomes": [{**MAP["outcomes"][1], "quantity": [1] * 51}]}, "quantity"),
    ],
)
def test_an_unknown_or_misshapen_field_is_refused_by_name(world, change, where):
    response = post(world.client("alice-essai"), {**MAP, **change}, accept_language="en")
    assert response.status_code == 422, response.content
    assert where in response.json()["message"]


def test_a_bad_value_is_refused_by_the_engine_with_its_words(world):
    yearly = {**MAP["outcomes"][1], "drop_off": 0.1}
    response = post(world.client("alice-essai"), {**MAP, "outcomes": [yearly]})
    assert response.status_code == 400
    assert response.json()["message"].startswith(
        "outcomes[0].drop_off: must be left out with yearly quantities"
    )


def test_the_openapi_document_describes_the_impact_map(db):
    document = Client().get("/api/openapi.json").json()
    body = document["paths"][PATH]["post"]["requestBody"]["content"]["application/json"]
    reference = body["schema"]["$ref"].rsplit("/", 1)[-1]
    schemas = document["components"]["schemas"]
    impact_map = schemas[reference]
    assert impact_map["additionalProperties"] is False
    assert impact_map["properties"]["discounting"]["enum"] == ["end_of_year", "mid_year"]
    outcome = schemas["OutcomeIn"]
    assert outcome["additionalProperties"] is False
    assert {"start_year", "quantity", "indicator", "proxy_source"} <= set(outcome["properties"])
    assert "value-map-template.xlsx" in impact_map["description"]


def test_the_value_map_templates_are_served(db):
    for name in ("value-map-template.xlsx", "modele-carte-de-la-valeur.xlsx"):
        response = Client().get(f"/static/tribu/{name}")
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content)
        assert body[:2] == b"PK"  # an XLSX is a zip archive


def _ranged(central: float) -> dict:
    return {"low": central * 0.5, "central": central, "high": central * 1.5}


def _big_map(outcomes: int, years: int, draws: int) -> dict:
    outcome = {
        "label": "Desks",
        "quantity": 10,
        "proxy": _ranged(100.0),
        "deadweight": _ranged(0.2),
        "displacement": _ranged(0.1),
        "attribution": _ranged(0.2),
        "drop_off": _ranged(0.1),
        "duration_years": years,
    }
    return {
        **MAP,
        "outcomes": [{**outcome, "label": f"Desks {n}"} for n in range(outcomes)],
        "simulation": {"draws": draws, "seed": 1},
    }


def test_too_many_draws_for_the_years_of_outcomes_are_refused_in_plain_words(world):
    """11 outcomes × 50 years × 100,000 draws: within each separate limit, too much work
    together for one on-line call."""
    response = post(world.client("alice-essai"), _big_map(11, 50, 100_000), accept_language="en")
    assert response.status_code == 400, response.content
    message = response.json()["message"]
    assert "100,000 draws × 550 years of outcomes" in message
    assert "limit of 50,000,000" in message
    assert "tribu sroi" in message


def test_a_sensitivity_analysis_too_long_for_one_call_is_refused(world):
    response = post(world.client("alice-essai"), _big_map(40, 50, 100), accept_language="en")
    assert response.status_code == 400, response.content
    message = response.json()["message"]
    assert "200 uncertain assumptions" in message
    assert "limit of 150,000" in message


def test_the_largest_map_within_the_limits_is_evaluated(world):
    within = _big_map(10, 50, 10_000)
    response = post(world.client("alice-essai"), within)
    assert response.status_code == 200, response.content


def test_calls_are_limited_per_token_each_minute(world, settings):
    settings.TRIBU_IMPACT_MAP_PER_MINUTE = 2
    small = {**MAP, "simulation": {"draws": 10, "seed": 1}}
    alice = world.client("alice-essai")
    assert [post(alice, small).status_code for _ in range(2)] == [200, 200]
    refused = post(alice, small, accept_language="en")
    assert refused.status_code == 429
    assert refused.json()["status"] == 429
    assert "2 a minute at most" in refused.json()["message"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert post(world.client("bob-essai"), small).status_code == 200
