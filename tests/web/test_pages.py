"""Each page answers, shows what it is for, and its forms call the services."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.web.conftest import last_month, login
from tribu.core.words import readable
from tribu.ledger.models import CatalogueVersion, EconomicEvent, EventState, Status
from tribu.ledger.services import confirm_event
from tribu.platforms.models import Membership, Role
from tribu.reports.balance import agent_balance
from tribu.reports.ledger_view import LedgerFilter, ledger_events

pytestmark = pytest.mark.django_db


def url(name, tribe, *args):
    return reverse(name, args=[tribe.platform.slug, *args])


def test_home_lists_public_platforms(client, web_tribe):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert web_tribe.platform.name in response.content.decode()


def test_home_leads_a_member_to_their_own_platforms(client, web_tribe):
    assert "Vos plateformes" not in client.get(reverse("home")).content.decode()
    page = login(client, web_tribe.hana).get(reverse("home")).content.decode()
    assert "Vos plateformes" in page
    assert f'href="{web_tribe.platform.get_absolute_url()}"' in page


def test_cause_page_is_readable_without_an_account(client, web_tribe):
    web_tribe.alice.is_public = True
    web_tribe.alice.save()
    response = client.get(url("platform-detail", web_tribe))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le futur du travail" in page
    assert "Alice" in page  # chose a public profile
    assert "Bob" not in page  # did not
    assert response.context["headline"]["ratio"] is not None
    assert response.context["headline"]["value_created"] > 0


def test_profile_lists_platforms_and_roles(client, web_tribe):
    login(client, web_tribe.alice)
    response = client.get(reverse("profile"))
    assert response.status_code == 200
    assert [m.role for m in response.context["memberships"]] == [Role.RESIDENT]


def test_ledger_lists_filters_and_counts(client, web_tribe):
    login(client, web_tribe.alice)
    response = client.get(url("ledger", web_tribe))
    assert response.status_code == 200
    assert response.context["totals"]["total"] == 3
    assert response.context["totals"]["proposed"] == 1
    assert "3 flux :" in response.content.decode()  # French puts a space before a colon
    response = client.get(url("ledger", web_tribe), {"status": "proposed"})
    assert [r.event.pk for r in response.context["rows"]] == [web_tribe.proposed.pk]
    response = client.get(url("ledger", web_tribe), {"agent": "alice"})
    assert [r.event.pk for r in response.context["rows"]] == [web_tribe.confirmed.pk]


def test_ledger_line_explains_its_value_with_the_proxy_source(client, web_tribe):
    login(client, web_tribe.alice)
    page = client.get(url("event-detail", web_tribe, web_tribe.confirmed.pk)).content.decode()
    row = client.get(url("event-detail", web_tribe, web_tribe.confirmed.pk)).context["row"]
    assert row.valued.text.startswith("3 day × ")
    assert "3\u00a0jours × 30,00\u00a0€ × (1 − 25\u202f%)" in page
    assert row.valued.source and readable(row.valued.source)[:20] in page


def test_ledger_is_paginated(client, web_tribe):
    from tests.factories import record

    for _ in range(55):
        record(web_tribe, web_tribe.alice, "day-pass", web_tribe.alice, web_tribe.bob, 1)
    login(client, web_tribe.alice)
    first = client.get(url("ledger", web_tribe))
    assert len(first.context["rows"]) == 50
    second = client.get(url("ledger", web_tribe), {"page": 2})
    assert len(second.context["rows"]) == 58 - 50


def test_recording_a_flow_proposes_it(client, web_tribe):
    login(client, web_tribe.alice)
    assert client.get(url("event-record", web_tribe)).status_code == 200
    spec = web_tribe.spec("volunteer-hour")
    response = client.post(
        url("event-record", web_tribe),
        {
            "specification": spec.pk,
            "provider": web_tribe.alice.pk,
            "receiver": web_tribe.bob.pk,
            "quantity": "2",
            "occurred": "2026-03-02",
            "action": "deliverService",
            "note": "fixed the printer",
            "evidence": "",
        },
    )
    assert response.status_code == 302
    event = EconomicEvent.objects.get(note="fixed the printer")
    assert event.state.status == Status.PROPOSED
    assert event.recorded_by == web_tribe.alice


def test_recording_for_others_is_refused_with_the_services_message(client, web_tribe):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, web_tribe.alice)
    spec = web_tribe.spec("volunteer-hour")
    response = client.post(
        url("event-record", web_tribe),
        {
            "specification": spec.pk,
            "provider": web_tribe.bob.pk,
            "receiver": web_tribe.host.pk,
            "quantity": "2",
            "occurred": "2026-03-02",
            "action": "work",
        },
    )
    assert response.status_code == 200
    assert "neither the provider nor the receiver" in response.content.decode()


def test_counterparty_confirms_in_one_click_and_gets_the_row_back(client, web_tribe):
    login(client, web_tribe.hana)  # represents the host, who received bob's flow
    response = client.post(
        url("event-confirm", web_tribe, web_tribe.proposed.pk), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="event-{web_tribe.proposed.pk}"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert response["HX-Trigger"] == "ledger-changed"
    assert EventState.objects.get(event=web_tribe.proposed).status == Status.CONFIRMED


def test_confirming_changes_the_hosts_balance_sheet(client, web_tribe):
    platform, host = web_tribe.platform, web_tribe.host
    before = agent_balance(platform, host, draws=100)["tiers"]["non_market"]["benefits"]
    login(client, web_tribe.hana)
    client.post(url("event-confirm", web_tribe, web_tribe.proposed.pk))
    after = agent_balance(platform, host, draws=100)["tiers"]["non_market"]["benefits"]
    assert Decimal(after["total"]) > Decimal(before["total"])


def test_the_recorder_cannot_confirm_their_own_flow(client, web_tribe):
    login(client, web_tribe.bob)
    response = client.post(url("event-confirm", web_tribe, web_tribe.proposed.pk))
    assert response.status_code == 403
    assert EventState.objects.get(event=web_tribe.proposed).status == Status.PROPOSED


def test_dispute_needs_a_reason(client, web_tribe):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, web_tribe.hana)
    response = client.post(
        url("event-dispute", web_tribe, web_tribe.proposed.pk),
        {"reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "must say why" in response.content.decode()
    assert EventState.objects.get(event=web_tribe.proposed).status == Status.PROPOSED
    client.post(url("event-dispute", web_tribe, web_tribe.proposed.pk), {"reason": "only one day"})
    assert EventState.objects.get(event=web_tribe.proposed).status == Status.DISPUTED


def test_correction_replaces_the_event_and_links_both_ways(client, web_tribe):
    login(client, web_tribe.bob)
    old = web_tribe.proposed
    assert client.get(url("event-correct", web_tribe, old.pk)).status_code == 200
    response = client.post(
        url("event-correct", web_tribe, old.pk),
        {
            "specification": old.resource_conforms_to_id,
            "provider": web_tribe.bob.pk,
            "receiver": web_tribe.host.pk,
            "quantity": "1",
            "occurred": last_month().isoformat(),
            "action": "use",
            "reason": "it was one day",
        },
    )
    assert response.status_code == 302
    new = EconomicEvent.objects.get(corrects=old)
    assert EventState.objects.get(event=old).corrected
    old_page = client.get(url("event-detail", web_tribe, old.pk)).content.decode()
    new_page = client.get(url("event-detail", web_tribe, new.pk)).content.decode()
    assert url("event-detail", web_tribe, new.pk) in old_page
    assert url("event-detail", web_tribe, old.pk) in new_page
    corrected = ledger_events(web_tribe.platform, LedgerFilter(status="corrected"))
    assert list(corrected) == [old]


def test_balance_sheet_shows_tiers_charts_and_version(client, web_tribe):
    login(client, web_tribe.alice)
    response = client.get(url("balance-sheet", web_tribe))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["agent"] == web_tribe.host
    assert response.context["sheet"]["context"]["catalogue_version"] == 1
    assert page.count("<svg") == 3
    assert "<title" in page and "<desc" in page
    assert url("balance-line", web_tribe, "day-pass") in page


def test_balance_sheet_of_another_agent_and_period(client, web_tribe):
    login(client, web_tribe.alice)
    response = client.get(
        url("balance-sheet", web_tribe),
        {"agent": "alice", "start": "2020-01-01", "end": "2020-02-01"},
    )
    assert response.context["agent"] == web_tribe.alice
    assert response.context["sheet"]["context"]["from"] == "2020-01-01"


def test_balance_line_lists_the_events_behind_it(client, web_tribe):
    login(client, web_tribe.alice)
    response = client.get(url("balance-line", web_tribe, "day-pass"))
    assert [e.pk for e, _ in response.context["rows"]] == [web_tribe.confirmed.pk]


def test_balance_line_pages_through_many_events(client, web_tribe, monkeypatch):
    monkeypatch.setattr("tribu.reports.views.LINE_EVENTS_PER_PAGE", 1)
    confirm_event(web_tribe.proposed, web_tribe.hana)
    login(client, web_tribe.alice)
    first = client.get(url("balance-line", web_tribe, "day-pass"))
    second = client.get(url("balance-line", web_tribe, "day-pass"), {"page": 2})
    shown = [e.pk for page in (first, second) for e, _ in page.context["rows"]]
    assert shown == [web_tribe.confirmed.pk, web_tribe.proposed.pk]
    assert "page=2" in first.content.decode()


def test_balance_csv_export(client, web_tribe):
    login(client, web_tribe.alice)
    response = client.get(url("balance-csv", web_tribe))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    explanation = rows[0].index("explanation")
    assert any(row[explanation].startswith("3 day × ") for row in rows[1:])
    assert any(row[1] == "catalogue_version" and row[explanation] == "1" for row in rows)


def test_flow_map_groups_flows_by_pair_and_kind(client, web_tribe):
    login(client, web_tribe.alice)
    response = client.get(url("flow-map", web_tribe))
    links = response.context["data"]["links"]
    assert response.status_code == 200
    assert {(link["source_name"], link["target_name"], link["spec"]) for link in links} == {
        ("Alice", "Hôte SA", "day-pass"),
        ("Hôte SA", "Bailleur", "rent"),
    }


def test_steward_adds_a_signed_up_user_as_newcomer(client, web_tribe, django_user_model):
    newcomer = django_user_model.objects.create_user("nina", "nina@example.org", "pw-nina-nina")
    login(client, web_tribe.fanny)
    response = client.post(
        url("members", web_tribe), {"user": "nina@example.org", "role": Role.NEWCOMER}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(platform=web_tribe.platform, agent__user=newcomer)
    assert membership.role == Role.NEWCOMER
    assert membership.changes.get().by == web_tribe.fanny
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    again = client.post(url("members", web_tribe), {"user": "nina", "role": Role.RESIDENT})
    assert "already a member" in again.content.decode()


def test_residents_cannot_add_members(client, web_tribe, django_user_model):
    django_user_model.objects.create_user("nina", "nina@example.org", "pw-nina-nina")
    login(client, web_tribe.alice)
    assert client.get(url("members", web_tribe)).status_code == 200
    response = client.post(url("members", web_tribe), {"user": "nina", "role": Role.HOST})
    assert response.status_code == 403


def test_catalogue_edit_makes_a_version_with_its_differences(client, web_tribe):
    login(client, web_tribe.hana)
    assert client.get(url("catalogue", web_tribe)).status_code == 200
    form = client.get(url("catalogue-edit", web_tribe, "day-pass")).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"proxy_central": "25", "proxy_high": "40", "note": "new local prices"})
    response = client.post(url("catalogue-edit", web_tribe, "day-pass"), data)
    assert response.status_code == 302
    version = CatalogueVersion.objects.get(platform=web_tribe.platform, number=2)
    assert version.note == "new local prices"
    diff = client.get(url("catalogue-version", web_tribe, 2))
    changes = dict((label, (old, new)) for label, old, new in diff.context["diffs"][0][1])
    assert [new for old, new in changes.values()] == [Decimal(25), Decimal(40)]
    sheet = client.get(url("balance-sheet", web_tribe)).context["sheet"]
    assert sheet["context"]["catalogue_version"] == 2


def test_catalogue_edit_rejects_out_of_order_ranges(client, web_tribe):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, web_tribe.hana)
    form = client.get(url("catalogue-edit", web_tribe, "day-pass")).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"proxy_low": "90", "note": "oops"})
    response = client.post(url("catalogue-edit", web_tribe, "day-pass"), data)
    assert "out of order" in response.content.decode()
    assert not CatalogueVersion.objects.filter(number=2).exists()


def test_pages_speak_french_by_default_and_english_on_request(client, web_tribe):
    login(client, web_tribe.alice)
    french = client.get(url("ledger", web_tribe)).content.decode()
    assert "Registre" in french and 'lang="fr"' in french
    english = client.get(url("ledger", web_tribe), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ledger" in english and 'lang="en"' in english


def test_cause_page_figures_follow_the_ledger(client, web_tribe):
    """The headline is cached, but a confirmation changes it at once."""
    first = client.get(url("platform-detail", web_tribe)).context["headline"]
    confirm_event(web_tribe.proposed, web_tribe.hana)
    second = client.get(url("platform-detail", web_tribe)).context["headline"]
    assert second["value_created"] > first["value_created"]


def test_password_reset_sends_an_email(client, web_tribe, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": web_tribe.alice.user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert web_tribe.alice.user.email in mailoutbox[0].to


def test_failed_logins_are_rate_limited(client, web_tribe):
    from django.core.cache import cache

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    try:
        pages = [
            client.post(
                reverse("account_login"), {"login": "alice-essai", "password": "wrong"}
            ).content.decode()
            for _ in range(6)
        ]
        assert "Too many failed login attempts" not in pages[0]
        assert "Too many failed login attempts" in pages[-1]
        right = client.post(
            reverse("account_login"),
            {"login": "alice-essai", "password": "pw-" + "alice-essai" * 2},
        )
        assert right.status_code == 200  # still refused while the limit holds
    finally:
        cache.clear()


def test_an_original_whose_correction_waits_offers_neither_dispute_nor_correct(client, web_tribe):
    """The service refuses both while the correction waits for consent: no button either."""
    from tests.factories import flow
    from tribu.ledger.services import correct_event

    original = web_tribe.confirmed  # alice → host, confirmed by hana
    fix = flow(web_tribe, "day-pass", web_tribe.alice, web_tribe.host, 1, on=last_month())
    correct_event(original, web_tribe.alice, fix, "one day")
    login(client, web_tribe.hana)
    dispute = url("event-dispute", web_tribe, original.pk)
    correct = url("event-correct", web_tribe, original.pk)
    detail = client.get(url("event-detail", web_tribe, original.pk))
    assert not detail.context["row"].can_dispute and not detail.context["row"].can_correct
    ledger = client.get(url("ledger", web_tribe)).content.decode()
    for page in (detail.content.decode(), ledger):
        assert dispute not in page and correct not in page
    # The confirmed flow without a waiting correction still offers both to hana.
    assert url("event-dispute", web_tribe, web_tribe.proposed.pk) in ledger


def test_a_corrected_row_names_and_links_its_correction(client, web_tribe):
    """The ledger reads the page's corrections in one query; each row still names its own."""
    from tests.factories import flow
    from tribu.ledger.services import correct_event

    original = web_tribe.proposed  # not confirmed: the correction replaces it at once
    fix = flow(web_tribe, "day-pass", original.provider, original.receiver, 1, on=last_month())
    correction = correct_event(original, original.recorded_by, fix, "one day")
    login(client, web_tribe.hana)
    page = client.get(url("ledger", web_tribe)).content.decode()
    link = url("event-detail", web_tribe, correction.pk)
    assert f'<a href="{link}">par n° {correction.pk}</a>' in page
    rows = client.get(url("ledger", web_tribe)).context["rows"]
    assert [r.corrections for r in rows if r.event.pk == original.pk] == [[(correction.pk, link)]]


def test_the_ledger_filter_keeps_its_choices_selected(client, web_tribe):
    """The filter's selects are drawn in one loop of their own: the chosen options stay."""
    login(client, web_tribe.alice)
    page = client.get(url("ledger", web_tribe), {"status": "confirmed", "agent": "alice"})
    html = page.content.decode()
    assert '<option value="confirmed" selected>' in html
    assert '<option value="alice" selected>' in html
    assert '<option value="proposed">' in html
