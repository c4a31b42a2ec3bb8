"""The indicator set of one platform and year: aggregates, the host's balance, nothing personal."""

import json
from datetime import date, timedelta

from tribu.observatory.indicators import FIELDS, SECTIONS, indicators, members_by_role
from tribu.reports.aggregates import Period
from tribu.reports.balance import agent_balance


def test_activity_counts_flows_statuses_and_volunteering(year_of_flows):
    doc = indicators(year_of_flows.platform, 2025, draws=200)
    activity, quality = doc["activity"], doc["quality"]
    assert activity["flows_recorded"] == 4
    assert activity["flows_confirmed_share"] == 0.75
    assert quality["events_declared_only"] == 1
    assert quality["events_per_line"] == {"hotel-night": 1, "rent": 1, "volunteer-hour": 1}
    # One volunteer: the total would be Bob's own hours, so it does not leave.
    assert activity["volunteers"] == 1 and activity["volunteer_hours"] is None
    # Everyone joined after 2025 (today): roles are read from the history, as of the year's end.
    assert activity["occupants"] == 0 and activity["newcomers"] == 0


def test_members_by_role_as_of_a_day(year_of_flows):
    roles = members_by_role(year_of_flows.platform, date.today() + timedelta(days=1))
    # The host organization and Hana, who acts for it.
    assert roles["resident"] == 2 and roles["host"] == 2 and roles["facilitator"] == 1


def test_economics_are_the_hosts_balance_sheet_over_the_year(balanced):
    platform = balanced.platform
    economics = indicators(platform, 2025, draws=200)["economics"]
    sheet = agent_balance(platform, platform.host, Period(*_year(2025)), draws=200)
    assert economics["market_costs"] == 24000
    assert economics["ratio"] == round(sheet["extended"]["ratio"], 4)
    assert economics["p_ratio_above_1"] == sheet["monte_carlo"]["p_ratio_above_1"]
    assert set(economics["non_market_value"]) == {"day-pass", "hotel-night", "volunteer-hour"}
    assert economics["ratio_p5"] <= economics["ratio_p50"] <= economics["ratio_p95"]


def test_every_documented_field_is_present_and_nothing_personal_leaves(year_of_flows):
    doc = indicators(year_of_flows.platform, 2025, draws=200)
    for section, name, *_ in FIELDS:
        assert name in doc[section]
    assert set(SECTIONS) <= set(doc)
    text = json.dumps(doc, ensure_ascii=False)
    for personal in ("Alice", "Bob", "Hana", "Fanny", "Loyer secret", "alice", "hana"):
        assert personal not in text
    assert doc["place"]["surface_m2"] == 200 and doc["place"]["commune_code"] == "75102"


def _year(year):
    return date(year, 1, 1), date(year + 1, 1, 1)
