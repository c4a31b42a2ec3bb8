"""The ledger page of a busy platform: counted once per state of the ledger, paged in two
steps, and the header's badge read from the cache until a flow changes."""

from django.urls import reverse

from tests.factories import record
from tests.web.conftest import last_month, login
from tribu.ledger.models import EconomicEvent


def ledger_page(client, **query):
    return client.get(reverse("ledger", args=["essai"]), query)


def test_pages_keep_the_order_and_the_totals_follow_the_ledger(client, web_tribe):
    tribe = web_tribe
    for quantity in range(1, 52):  # with the fixture's, two pages of 50 and a third
        record(tribe, tribe.bob, "day-pass", tribe.bob, tribe.host, quantity, on=last_month())
    login(client, tribe.hana)
    newest_first = list(
        EconomicEvent.objects.filter(platform=tribe.platform)
        .order_by("-occurred_on", "-id")
        .values_list("pk", flat=True)
    )
    shown = []
    for number in (1, 2):
        page = ledger_page(client, page=number)
        shown += [row.event.pk for row in page.context["rows"]]
    assert shown == newest_first
    before = ledger_page(client).context["totals"]
    assert before["total"] == len(newest_first)
    record(tribe, tribe.alice, "day-pass", tribe.alice, tribe.host, 1, on=last_month())
    after = ledger_page(client).context["totals"]
    assert after["total"] == before["total"] + 1
    assert after["proposed"] == before["proposed"] + 1


def test_the_header_badge_follows_a_new_flow(client, web_tribe):
    tribe = web_tribe
    login(client, tribe.hana)
    before = ledger_page(client).context["awaiting"].count
    record(tribe, tribe.bob, "day-pass", tribe.bob, tribe.host, 1, on=last_month())
    assert ledger_page(client).context["awaiting"].count == before + 1
