"""A state machine over record / confirm / dispute / correct.

Invariants, after every step: the report sums equal a recomputation from the model of what
happened (whole months through the monthly projection, ragged periods through raw events);
no stored event ever changes; `tribu check` passes. A correction of a confirmed flow
replaces it only once a later link of its chain is confirmed (by the counterparty, or by
a steward settling a dispute): until then the original keeps counting.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tests.factories import flow, make_tribe
from tribu.core.errors import TribuError
from tribu.ledger.checks import run_checks
from tribu.ledger.models import EconomicEvent
from tribu.ledger.services import (
    confirm_event,
    correct_event,
    dispute_event,
    record_event,
    settle_event,
)
from tribu.reports.aggregates import Period, sums_for

SPECS = ["hotel-night", "volunteer-hour", "desk-month"]
PERIODS = [Period(date(2026, 1, 1), date(2027, 1, 1)), Period(date(2026, 2, 15), date(2026, 9, 20))]


class LedgerMachine(RuleBasedStateMachine):
    events = Bundle("events")

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.tribe = make_tribe("machine")
        t = self.tribe
        # (recorder, provider, receiver, who acts for the counterparty)
        self.pairs = [
            (t.fanny, t.place, t.host, t.hana),
            (t.alice, t.alice, t.bob, t.bob),
            (t.bob, t.alice, t.bob, t.alice),
        ]
        self.people = [t.hana, t.fanny, t.alice, t.bob]
        self.model: dict[int, dict] = {}
        self.snapshots: dict[int, dict] = {}
        self.parties: dict[int, set[int]] = {}
        self.correction_of: dict[int, int] = {}

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @rule(
        target=events,
        pair=st.integers(0, 2),
        spec=st.sampled_from(SPECS),
        quantity=st.integers(0, 20),
        day=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    )
    def record(self, pair, spec, quantity, day):
        recorder, provider, receiver, counterparty = self.pairs[pair]
        event, _ = record_event(
            self.tribe.platform,
            recorder,
            flow(self.tribe, spec, provider, receiver, quantity, on=day),
        )
        self._remember(event, counterparty.pk)
        return event.pk

    @rule(event=events, who=st.integers(0, 3))
    def confirm(self, event, who):
        actor, entry = self.people[who], self.model[event]
        allowed = (
            entry["status"] in {"proposed", "disputed"}
            and not entry["corrected"]
            and actor.pk == entry["counterparty"]
        )
        self._attempt(allowed, lambda: confirm_event(self._event(event), actor))
        if allowed:
            entry["status"] = "confirmed"

    @rule(event=events, who=st.integers(0, 3))
    def dispute(self, event, who):
        actor, entry = self.people[who], self.model[event]
        allowed = (
            entry["status"] in {"proposed", "confirmed"}
            and not entry["corrected"]
            and actor.pk == entry["counterparty"]
        )
        self._attempt(allowed, lambda: dispute_event(self._event(event), actor, "not so"))
        if allowed:
            entry["status"] = "disputed"

    @rule(target=events, event=events, quantity=st.integers(0, 20))
    def correct(self, event, quantity):
        entry = self.model[event]
        original = self._event(event)
        new = flow(
            self.tribe,
            original.resource_conforms_to.slug,
            original.provider,
            original.receiver,
            quantity,
            on=original.occurred_on,
        )
        recorder = original.recorded_by
        if entry["corrected"]:
            self._attempt(False, lambda: correct_event(original, recorder, new))
            return event
        fix = correct_event(original, recorder, new, "fix")
        entry["corrected"] = True
        self._remember(fix, entry["counterparty"], corrects=event)
        return fix.pk

    @rule(event=events, who=st.integers(0, 3))
    def settle(self, event, who):
        actor, entry = self.people[who], self.model[event]
        parties = self.parties[event]
        allowed = (
            entry["status"] == "disputed"
            and not entry["corrected"]
            and entry["corrects"] is not None
            and actor in (self.tribe.hana, self.tribe.fanny)
            and actor.pk not in parties
        )
        self._attempt(allowed, lambda: settle_event(self._event(event), actor, "settled"))
        if allowed:
            entry["status"] = "confirmed"

    def _counts(self, pk) -> bool:
        """Confirmed, and not replaced by its chain of corrections."""
        entry = self.model[pk]
        if entry["status"] != "confirmed":
            return False
        below = self.correction_of.get(pk)
        while below is not None:
            if self.model[below]["status"] == "confirmed":
                return False
            below = self.correction_of.get(below)
        return True

    def _remember(self, event, counterparty_pk: int, corrects=None):
        t = self.tribe
        # Who is party to the flow: its recorder, its two sides and those acting for them.
        sides = {event.provider_id, event.receiver_id, event.recorded_by_id}
        acting = {t.host.pk: t.hana.pk, t.place.pk: t.fanny.pk}
        self.parties[event.pk] = sides | {acting[s] for s in sides if s in acting}
        if corrects is not None:
            self.correction_of[corrects] = event.pk
        self.model[event.pk] = {
            "status": "proposed",
            "corrected": False,
            "corrects": corrects,
            "counterparty": counterparty_pk,
            "spec": event.resource_conforms_to_id,
            "receiver": event.receiver_id,
            "quantity": event.resource_quantity,
            "day": event.occurred_on,
        }
        self.snapshots[event.pk] = EconomicEvent.objects.filter(pk=event.pk).values().get()

    def _event(self, pk):
        return EconomicEvent.objects.select_related(
            "provider", "receiver", "recorded_by", "resource_conforms_to"
        ).get(pk=pk)

    @staticmethod
    def _attempt(allowed, action):
        if allowed:
            action()
        else:
            with pytest.raises(TribuError):
                action()

    @invariant()
    def reports_equal_recomputation(self):
        for period in PERIODS:
            for agent in (self.tribe.host, self.tribe.bob):
                expected: dict[int, Decimal] = {}
                for pk, e in self.model.items():
                    counted = self._counts(pk)
                    if (
                        counted
                        and e["receiver"] == agent.pk
                        and period.start <= e["day"] < period.end
                    ):
                        expected[e["spec"]] = expected.get(e["spec"], Decimal(0)) + e["quantity"]
                sums = sums_for(self.tribe.platform.pk, agent.pk, "receiver", period)
                # A spec whose counted events all have quantity 0 may be absent or zero.
                got = {k: s.quantity for k, s in sums.items() if s.quantity}
                assert got == {k: v for k, v in expected.items() if v}

    @invariant()
    def checks_pass(self):
        failed = [r for r in run_checks(self.tribe.platform) if not r.ok]
        assert not failed, failed

    @invariant()
    def stored_events_never_change(self):
        rows = {r["id"]: r for r in EconomicEvent.objects.values()}
        assert rows == self.snapshots


def test_ledger_state_machine(db):
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=60,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
