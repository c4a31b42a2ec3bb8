"""The done-when scenario through the API alone: record, confirm, see the balance change."""

from decimal import Decimal

BALANCE = "/api/platforms/essai/reports/balance?from=2026-01-01&to=2027-01-01&draws=200"


def non_market_benefits(client) -> Decimal:
    response = client.get(BALANCE)
    assert response.status_code == 200, response.content
    return Decimal(response.json()["tiers"]["non_market"]["benefits"]["total"])


def test_a_flow_recorded_and_confirmed_through_the_api_changes_the_host_balance(world):
    alice, hana = world.client("alice-essai"), world.client("hana-essai")
    before = non_market_benefits(hana)

    recorded = alice.post(
        "/api/platforms/essai/events",
        {
            "action": "deliverService",
            "provider": "alice",
            "receiver": "hote",
            "specification": "volunteer-hour",
            "quantity": "10",
            "occurred": "2026-04-02",
            "note": "website repair",
            "evidence": "https://example.org/ticket/1",
        },
        content_type="application/json",
    )
    assert recorded.status_code == 201, recorded.content
    event = recorded.json()
    assert event["status"] == "proposed"
    assert event["counterparty"] == {"slug": "hote", "name": "Hôte SA"}
    assert non_market_benefits(hana) == before, "a proposed flow is not counted yet"

    confirmed = hana.post(f"/api/platforms/essai/events/{event['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed"
    assert [c["status"] for c in confirmed.json()["history"]] == ["proposed", "confirmed"]
    assert non_market_benefits(hana) > before


def test_a_correction_replaces_the_event_it_corrects(world):
    alice, bob = world.client("alice-essai"), world.client("bob-essai")
    url = f"/api/platforms/essai/events/{world.event.pk}"
    assert bob.post(f"{url}/confirm").status_code == 200
    fix = {
        "action": "deliverService",
        "provider": "alice",
        "receiver": "bob",
        "specification": "volunteer-hour",
        "quantity": "2",
        "occurred": "2026-03-10",
        "reason": "it was two hours",
    }
    correction = alice.post(f"{url}/correct", fix, content_type="application/json")
    assert correction.status_code == 201, correction.content
    assert correction.json()["corrects"] == world.event.pk

    original = alice.get(url).json()
    # The confirmed original keeps counting until Bob consents to the correction.
    assert original["corrected"] is False and original["counted"] is True
    assert original["corrected_by"] == [correction.json()["id"]]
    fix_url = f"/api/platforms/essai/events/{correction.json()['id']}"
    assert bob.post(f"{fix_url}/confirm").status_code == 200
    original = alice.get(url).json()
    assert original["corrected"] is True and original["counted"] is False
    again = alice.post(f"{url}/correct", fix, content_type="application/json")
    assert again.status_code == 409, "an event is corrected once; correct the correction"


def test_a_steward_settles_a_disputed_correction(world):
    alice, bob, hana = (world.client(f"{n}-essai") for n in ("alice", "bob", "hana"))
    url = f"/api/platforms/essai/events/{world.event.pk}"
    assert bob.post(f"{url}/confirm").status_code == 200
    fix = {
        "action": "deliverService",
        "provider": "alice",
        "receiver": "bob",
        "specification": "volunteer-hour",
        "quantity": "0",
        "occurred": "2026-03-10",
        "reason": "it never happened",
    }
    fix_id = alice.post(f"{url}/correct", fix, content_type="application/json").json()["id"]
    fix_url = f"/api/platforms/essai/events/{fix_id}"
    reason = {"reason": "it did"}
    assert (
        bob.post(f"{fix_url}/dispute", reason, content_type="application/json").status_code == 200
    )
    settle = {"reason": "the room log shows nobody came"}
    assert (
        alice.post(f"{fix_url}/settle", settle, content_type="application/json").status_code == 403
    )
    settled = hana.post(f"{fix_url}/settle", settle, content_type="application/json")
    assert settled.status_code == 200, settled.content
    assert settled.json()["history"][-1]["reason"] == settle["reason"]
    assert alice.get(url).json()["counted"] is False


def test_the_counterparty_disputes_with_a_reason(world):
    bob = world.client("bob-essai")
    url = f"/api/platforms/essai/events/{world.event.pk}/dispute"
    response = bob.post(url, {"reason": "I never asked for it"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "disputed"
    assert response.json()["history"][-1]["reason"] == "I never asked for it"


def test_the_ledger_lists_and_filters_events_page_by_page(world):
    alice = world.client("alice-essai")
    for day in ("2026-01-05", "2026-02-05", "2026-05-05"):
        response = alice.post(
            "/api/platforms/essai/events",
            {
                "action": "use",
                "provider": "bob",
                "receiver": "alice",
                "specification": "day-pass",
                "quantity": 1,
                "occurred": day,
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    everything = alice.get("/api/platforms/essai/events").json()
    assert everything["count"] == 4
    dates = [e["occurred_on"] for e in everything["items"]]
    assert dates == sorted(dates, reverse=True)

    page = alice.get("/api/platforms/essai/events?page=2&page_size=3").json()
    assert page["count"] == 4 and len(page["items"]) == 1

    spring = alice.get("/api/platforms/essai/events?from=2026-02-01&to=2026-05-01").json()
    assert [e["occurred_on"] for e in spring["items"]] == ["2026-03-10", "2026-02-05"]
    passes = alice.get("/api/platforms/essai/events?spec=day-pass&status=proposed").json()
    assert passes["count"] == 3
    carl = alice.get("/api/platforms/essai/events?agent=carl").json()
    assert carl["count"] == 0


def test_the_host_edits_the_catalogue_as_a_new_version(world):
    hana = world.client("hana-essai")
    response = hana.post(
        "/api/platforms/essai/catalogue",
        {
            "note": "2027 prices",
            "changes": {
                "day-pass": {"proxy_central": "35", "proxy_high": "45", "source": "our own survey"}
            },
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"]["number"] == 2
    day_pass = next(s for s in body["specifications"] if s["slug"] == "day-pass")
    assert Decimal(day_pass["proxy"]["central"]) == 35
    assert day_pass["source"] == "our own survey" and day_pass["version"] == 2

    first = hana.get("/api/platforms/essai/catalogue?version=1").json()
    old = next(s for s in first["specifications"] if s["slug"] == "day-pass")
    assert Decimal(old["proxy"]["central"]) == 30
    versions = hana.get("/api/platforms/essai/catalogue/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[1]["created_by"]["slug"] == "hana"


def test_the_balance_sheet_names_its_catalogue_version_and_period(world):
    body = world.client("fanny-essai").get(BALANCE + "&agent=alice").json()
    assert body["context"]["agent"] == "alice"
    assert body["context"]["catalogue_version"] == 1
    assert (body["context"]["from"], body["context"]["to"]) == ("2026-01-01", "2027-01-01")


def test_each_event_says_how_its_value_was_reached(world):
    """3 volunteer hours × the catalogue's central proxy, with the proxy's source."""
    event = world.client("bob-essai").get(f"/api/platforms/essai/events/{world.event.pk}")
    value = event.json()["value"]
    assert value["market"] is False
    catalogue = world.client("bob-essai").get("/api/platforms/essai/catalogue").json()
    spec = next(s for s in catalogue["specifications"] if s["slug"] == "volunteer-hour")
    proxy = Decimal(spec["proxy"]["central"])
    expected = 3 * proxy
    for name in ("deadweight", "displacement", "attribution"):
        expected *= 1 - Decimal(spec[name]["central"])
    assert Decimal(value["central"]) == expected.quantize(Decimal("0.01"))
    assert value["explanation"].startswith(f"3 hour × {proxy.normalize():f} EUR × (1 − ")
    assert value["explanation"].endswith(f"= {value['central']} EUR")
    assert value["source"] == spec["source"] != ""
    listed = world.client("bob-essai").get("/api/platforms/essai/events").json()["items"]
    assert listed[0]["value"] == value


def test_confirmed_events_leave_out_the_originals_a_correction_replaced(world):
    """The API's status filter selects what the web's ledger selects: one query serves both."""
    from tribu.reports.ledger_view import LedgerFilter, ledger_events

    alice, bob = world.client("alice-essai"), world.client("bob-essai")
    url = f"/api/platforms/essai/events/{world.event.pk}"
    assert bob.post(f"{url}/confirm").status_code == 200
    fix = {
        "action": "deliverService",
        "provider": "alice",
        "receiver": "bob",
        "specification": "volunteer-hour",
        "quantity": "2",
        "occurred": "2026-03-10",
        "reason": "it was two hours",
    }
    correction = alice.post(f"{url}/correct", fix, content_type="application/json").json()
    assert bob.post(f"/api/platforms/essai/events/{correction['id']}/confirm").status_code == 200
    listed = bob.get("/api/platforms/essai/events?status=confirmed").json()
    web = ledger_events(world.essai.platform, LedgerFilter(status="confirmed"))
    assert [e["id"] for e in listed["items"]] == [correction["id"]]
    assert [e.pk for e in web] == [correction["id"]] and listed["count"] == 1
