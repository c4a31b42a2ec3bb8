"""The busiest pages cost a fixed number of queries, however many rows they show.

The ceilings are today's counts: a change that adds a query per row or asks for the same
thing twice fails here. Lower them when a page gets cheaper. (They were 18, 20 and 18 while
the role was asked up to four times per page and the balance simulated twice.)
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import record

from .conftest import last_month, login

CEILINGS = {"ledger": 16, "balance-sheet": 11, "platform-detail": 12}
# The first view after the ledger or the catalogue changes also reads the ledger's stamp and
# writes the simulation to the shared database cache (count, look-up, insert, savepoint);
# the views after it read the cache instead of the ledger.
# Pages also ask, once each, for the header's count of flows awaiting the reader, the areas
# someone on trial may open, the declared flows' labels, and (the Cause page) the photo,
# the gatherings to come, the open needs and offers and the public projects.
# The header's badge and the ledger's totals are also kept in the cache, by the ledger's
# stamp: a cold view writes them (the ledger: 30 queries cold, 16 again; the stamp costs
# one small query where counting a large platform's events by state cost most of the page).
COLD_CEILINGS = {"ledger": 30, "balance-sheet": 32, "platform-detail": 44}


@pytest.fixture
def busy_tribe(web_tribe):
    """More rows than the fixture's few, so that a query per row shows."""
    tribe = web_tribe
    for quantity in range(1, 6):
        record(tribe, tribe.bob, "day-pass", tribe.bob, tribe.host, quantity, on=last_month())
    return tribe


def queries(client, name: str, cold: bool = True) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name, args=["essai"])).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", sorted(CEILINGS))
def test_a_page_stays_within_its_queries(client, busy_tribe, name):
    login(client, busy_tribe.alice)
    count = queries(client, name)
    print(f"{name}: {count} queries")
    assert count <= COLD_CEILINGS[name], f"{name}: {count} queries, {COLD_CEILINGS[name]} expected"
    count = queries(client, name, cold=False)
    print(f"{name} again: {count} queries")
    assert count <= CEILINGS[name], f"{name} again: {count} queries, {CEILINGS[name]} expected"


def test_the_header_counts_flows_to_confirm_in_queries_that_do_not_grow(client, busy_tribe):
    """The header's "flows to confirm" asks who represents whom once, not per flow."""
    tribe = busy_tribe
    login(client, tribe.hana)  # acts for the host: confirms what bob gives the host
    before = queries(client, "ledger", cold=False)
    for quantity in range(1, 11):
        record(tribe, tribe.bob, "day-pass", tribe.bob, tribe.host, quantity, on=last_month())
    assert queries(client, "ledger", cold=False) == before


def test_the_flows_to_confirm_cost_queries_that_do_not_grow(client, busy_tribe):
    """The to-confirm page and `confirmations_to_give` read each flow's state and
    corrections with the flows, not once per flow."""
    from tribu.community.services import confirmations_to_give

    tribe = busy_tribe
    login(client, tribe.hana)  # acts for the host: confirms what bob gives the host

    def costs() -> tuple[int, int]:
        cache.clear()
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("to-confirm")).status_code == 200
        with CaptureQueriesContext(connection) as service:
            events = confirmations_to_give(tribe.hana)
            for event in events:
                assert not event.state.corrected and not list(event.corrections.all())
        return len(page), len(service)

    before = costs()
    for quantity in range(1, 11):
        record(tribe, tribe.bob, "day-pass", tribe.bob, tribe.host, quantity, on=last_month())
    assert costs() == before
