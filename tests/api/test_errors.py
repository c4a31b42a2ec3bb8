"""Bad input answers JSON with the right 4xx, never a server error."""

import pytest

RECORD = {
    "action": "use",
    "provider": "alice",
    "receiver": "bob",
    "specification": "day-pass",
    "quantity": "1",
    "occurred": "2026-03-11",
}
EVENTS = "/api/platforms/essai/events"


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ("{not json", 400, "parse"),
        ("[1, 2]", 422, "payload"),
        ({"action": "use"}, 422, "provider"),
        ({**RECORD, "action": "steal"}, 422, "action"),
        ({**RECORD, "quantity": "NaN"}, 422, "quantity"),
        ({**RECORD, "quantity": "-1"}, 422, "quantity"),
        ({**RECORD, "quantity": "1e30"}, 422, "quantity"),
        ({**RECORD, "occurred": "9999-12-31"}, 422, "occurred"),
        ({**RECORD, "note": "a\x00b"}, 422, "note"),
        ({**RECORD, "evidence": "x" * 501}, 422, "evidence"),
        ({**RECORD, "receiver": "alice"}, 400, "même agent"),  # French by default
        ({**RECORD, "receiver": "nobody"}, 404, "nobody"),
        ({**RECORD, "specification": "unicorn"}, 404, "unicorn"),
        ({**RECORD, "specification": "in-kind-goods"}, 400, "declared_value"),
        ({**RECORD, "specification": "rent"}, 400, "money_amount"),
        ({**RECORD, "occurred": "2026-03-11T10:00:00", "ends": "2026-03-11T09:00:00"}, 400, "ends"),
    ],
)
def test_recording_bad_input_gives_a_json_error(world, body, status, words):
    response = post(world.client("alice-essai"), EVENTS, body)
    assert response.status_code == status, response.content
    error = response.json()
    assert error["status"] == status
    assert words in error["message"].lower() or words in str(error.get("errors"))


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/platforms/essai/events?from=2026-05-01&to=2026-01-01", 400),
        ("/api/platforms/essai/events?from=yesterday", 422),
        ("/api/platforms/essai/events?page=0", 422),
        ("/api/platforms/essai/events?page_size=100000", 422),
        ("/api/platforms/essai/events?status=lost", 422),
        ("/api/platforms/essai/events/99999999999999999999", 422),
        ("/api/platforms/essai/events/123456", 404),
        ("/api/platforms/es%00sai", 422),
        ("/api/platforms/essai/catalogue?version=99", 404),
        ("/api/platforms/essai/reports/balance?agent=nobody", 404),
        ("/api/platforms/essai/reports/balance?draws=0", 422),
        ("/api/nowhere", 404),
    ],
)
def test_reading_bad_input_gives_a_json_error(world, path, status):
    response = world.client("alice-essai").get(path)
    assert response.status_code == status, response.content
    assert response.json()["status"] == status


def test_a_wrong_method_gives_a_json_405(world):
    response = world.client("alice-essai").delete("/api/platforms/essai")
    assert response.status_code == 405
    assert response.json()["status"] == 405
    assert "GET" in response["Allow"]


def test_confirming_twice_is_a_conflict(world):
    bob = world.client("bob-essai")
    url = f"/api/platforms/essai/events/{world.event.pk}/confirm"
    assert bob.post(url).status_code == 200
    again = bob.post(url)
    assert again.status_code == 409 and again.json()["status"] == 409


def test_the_recorder_cannot_confirm_their_own_event(world):
    response = world.client("alice-essai").post(
        f"/api/platforms/essai/events/{world.event.pk}/confirm"
    )
    assert response.status_code == 403


def test_a_dispute_needs_a_reason(world):
    url = f"/api/platforms/essai/events/{world.event.pk}/dispute"
    bob = world.client("bob-essai")
    assert post(bob, url, {"reason": ""}).status_code == 422
    assert post(bob, url, {"reason": "   "}).status_code == 400


def test_catalogue_edits_are_checked(world):
    hana = world.client("hana-essai")
    url = "/api/platforms/essai/catalogue"
    unknown = post(hana, url, {"changes": {"unicorn": {"proxy_central": "1"}}})
    assert unknown.status_code == 404
    disorder = post(hana, url, {"changes": {"day-pass": {"proxy_low": "50"}}})
    assert disorder.status_code == 400 and "day-pass" in disorder.json()["message"]
    fraction = post(hana, url, {"changes": {"day-pass": {"deadweight_high": "1.5"}}})
    assert fraction.status_code == 422
    assert post(hana, url, {"changes": {}}).status_code == 422
    versions = hana.get("/api/platforms/essai/catalogue/versions").json()
    assert [v["number"] for v in versions] == [1], "a refused edit leaves no version behind"


IMPACT = {
    "name": "Atelier",
    "inputs": [{"label": "Rent", "amount": 1000}],
    "outcomes": [
        {
            "label": "Desks",
            "quantity": 10,
            "proxy": {"low": 50, "central": 100, "high": 150},
            "deadweight": 0.1,
            "displacement": 0,
            "attribution": 0.2,
        }
    ],
    "simulation": {"draws": 500, "seed": 7},
}


def test_an_impact_map_is_evaluated_for_a_token_holder(world):
    response = post(world.client("alice-autre"), "/api/reports/impact-map", IMPACT)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["monte_carlo"]["draws"] == 500 and body["monte_carlo"]["seed"] == 7
    # Quantity × proxy × (1 − deadweight) × (1 − attribution), year 1 discounted at 3.5 %.
    assert body["central"]["sroi"] == pytest.approx(10 * 100 * 0.9 * 0.8 / 1.035 / 1000)


def test_an_impact_map_needs_a_token(world):
    assert post(world.client(None), "/api/reports/impact-map", IMPACT).status_code == 401


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"outcomes": [{**IMPACT["outcomes"][0], "deadweight": 2}]}, "deadweight"),
        ({"outcomes": [{**IMPACT["outcomes"][0], "duration_years": 500}]}, "limit"),
        ({"outcomes": [IMPACT["outcomes"][0]] * 51}, "limit"),
        ({"simulation": {"draws": 10**9}}, "limit"),
        ({"outcomes": [{**IMPACT["outcomes"][0], "quantity": 1e300, "proxy": 1e300}]}, "too large"),
    ],
)
def test_a_bad_impact_map_gives_a_400_naming_the_field(world, change, words):
    response = world.client("alice-essai").post(
        "/api/reports/impact-map",
        {**IMPACT, **change},
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400, response.content
    assert words in response.json()["message"]


def test_error_messages_follow_the_accept_language_header(world):
    client = world.client("alice-essai")
    path = "/api/platforms/essai/events?agent=nobody"
    english = client.get(path, headers={"accept-language": "en"}).json()["message"]
    french = client.get(path, headers={"accept-language": "fr"}).json()["message"]
    assert english == "agent: no agent “nobody” in this platform"
    assert french == "agent : pas d’agent « nobody » dans cette plateforme"
    assert client.get(path).json()["message"] == french, "French is the default"
