"""Joining by peer vouching: the rules, pinned down one by one."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation

from tests.factories import make_user
from tribu.community import services
from tribu.community.models import (
    ApplicationStatus,
    ApplicationStep,
    Notification,
    Resolution,
    StepKind,
    Vouch,
)
from tribu.core.errors import Conflict, PermissionDenied, TribuError
from tribu.platforms.access import role_of
from tribu.platforms.models import MembershipChange, Role
from tribu.platforms.services import add_agent, set_role


@pytest.fixture
def application(tribe):
    return services.apply(
        tribe.platform,
        make_user("nina"),
        name="Nina",
        statement="I work on the future of work too.",
    )


def test_applying_makes_a_newcomer_and_asks_residents_for_vouches(tribe, application):
    assert role_of(application.agent) == Role.NEWCOMER
    assert application.trial_ends_at - application.created_at == timedelta(
        days=tribe.platform.trial_days
    )
    asked = set(
        Notification.objects.filter(kind="vouch_request").values_list("recipient__slug", flat=True)
    )
    assert asked == {"alice", "bob", "fanny", "hana"}


def test_a_member_cannot_apply_again(tribe, application):
    with pytest.raises(Conflict):
        services.apply(tribe.platform, application.agent.user, name="Nina", statement="again")


def test_two_vouches_make_a_resident_with_the_change_in_history(tribe, application):
    services.vouch(application, tribe.alice, "Met her at the apéro, she shares the Cause.")
    assert role_of(application.agent) == Role.NEWCOMER
    services.vouch(application, tribe.bob, "Worked with her for a year.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert role_of(application.agent) == Role.RESIDENT
    change = MembershipChange.objects.filter(membership__agent=application.agent).last()
    assert change.role == Role.RESIDENT and "Alice" in change.reason and "Bob" in change.reason
    kinds = list(application.steps.values_list("kind", flat=True))
    assert kinds == [StepKind.APPLIED, StepKind.VOUCHED, StepKind.VOUCHED, StepKind.ACCEPTED]


def test_the_number_of_vouches_is_a_platform_setting(tribe):
    tribe.platform.vouches_required = 1
    tribe.platform.save()
    application = services.apply(tribe.platform, make_user("omar"), name="Omar", statement="Hi")
    services.vouch(application, tribe.alice, "Yes")
    assert role_of(application.agent) == Role.RESIDENT


def test_a_newcomer_cannot_vouch(tribe, application):
    other = services.apply(tribe.platform, make_user("omar"), name="Omar", statement="Hi")
    with pytest.raises(PermissionDenied):
        services.vouch(other, application.agent, "I vouch")


def test_nobody_vouches_twice(tribe, application):
    services.vouch(application, tribe.alice, "Yes")
    with pytest.raises(Conflict):
        services.vouch(application, tribe.alice, "Yes again")
    assert Vouch.objects.filter(application=application).count() == 1


def test_nobody_vouches_for_themselves(tribe):
    alumna = add_agent(
        tribe.platform, slug="zoe", name="Zoé", role=Role.ALUMNI, user=make_user("zoe")
    )
    application = services.apply(tribe.platform, alumna.user, name="Zoé", statement="Back")
    # Even a former resident who still held a vouching role could not: the rule is checked
    # on the person, not only on the role.
    set_role(alumna, Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        services.vouch(application, alumna, "I vouch for me")


def test_a_vouch_needs_a_note(tribe, application):
    with pytest.raises(TribuError):
        services.vouch(application, tribe.alice, "  ")


def test_an_open_concern_holds_acceptance_until_its_author_withdraws_it(tribe, application):
    concern = services.raise_concern(application, tribe.bob, "We never met; let us talk first.")
    services.vouch(application, tribe.alice, "Yes")
    services.vouch(application, tribe.hana, "Yes")
    assert role_of(application.agent) == Role.NEWCOMER
    with pytest.raises(PermissionDenied):
        services.withdraw_concern(concern, tribe.alice)
    services.withdraw_concern(concern, tribe.bob, "We talked.")
    assert role_of(application.agent) == Role.RESIDENT


def test_the_facilitator_decides_on_a_concern_with_reasons_and_advice(tribe, application):
    concern = services.raise_concern(application, tribe.bob, "Worry")
    services.vouch(application, tribe.alice, "Yes")
    services.vouch(application, tribe.hana, "Yes")
    with pytest.raises(PermissionDenied):
        services.decide_concern(concern, tribe.alice, Resolution.LIFTED, reasons="r", advice="a")
    with pytest.raises(TribuError):
        services.decide_concern(concern, tribe.fanny, Resolution.LIFTED, reasons="r", advice="")
    services.decide_concern(
        concern,
        tribe.fanny,
        Resolution.LIFTED,
        reasons="The worry was a misunderstanding.",
        advice="Asked Alice and Hana.",
    )
    concern.refresh_from_db()
    assert concern.resolution.reasons == "The worry was a misunderstanding."
    assert concern.resolution.advice == "Asked Alice and Hana."
    assert role_of(application.agent) == Role.RESIDENT


def test_an_upheld_concern_ends_the_application(tribe, application):
    concern = services.raise_concern(application, tribe.bob, "Worry")
    services.decide_concern(concern, tribe.fanny, Resolution.UPHELD, reasons="r", advice="a")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ENDED
    assert role_of(application.agent) == Role.ALUMNI
    with pytest.raises(Conflict):
        services.vouch(application, tribe.alice, "Too late")


def test_a_trial_that_runs_out_ends_the_application_with_a_message(tribe, application):
    services.vouch(application, tribe.alice, "Yes")
    assert services.expire_trials(tribe.platform) == []
    later = application.trial_ends_at + timedelta(seconds=1)
    with translation.override("en"):
        ended = services.expire_trials(tribe.platform, later)
    assert [a.pk for a in ended] == [application.pk]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ENDED
    assert role_of(application.agent) == Role.ALUMNI
    message = Notification.objects.get(recipient=application.agent, kind="joining")
    assert "trial period" in message.text


def test_leaving_makes_one_alumni(tribe):
    services.leave(tribe.bob, "Moving to Lyon")
    assert role_of(tribe.bob) == Role.ALUMNI
    with pytest.raises(Conflict):
        services.leave(tribe.bob)


def test_the_history_of_steps_cannot_be_rewritten_in_the_database(tribe, application):
    step = ApplicationStep.objects.get(application=application)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE community_applicationstep SET note = 'forged' WHERE id = %s", [step.pk]
        )
    step.refresh_from_db()
    assert step.note.startswith("I work on")


def test_applying_after_the_trial_ended_starts_a_new_application(tribe, application):
    services.expire_trials(tribe.platform, timezone.now() + timedelta(days=400))
    again = services.apply(tribe.platform, application.agent.user, name="Nina", statement="Back")
    assert again.pk != application.pk and again.agent_id == application.agent_id
    assert role_of(again.agent) == Role.NEWCOMER


def test_a_role_given_meanwhile_is_never_demoted_by_the_application(tribe, application):
    set_role(application.agent, Role.FACILITATOR, reason="Hired as co-facilitator")
    services.vouch(application, tribe.alice, "Yes")
    services.vouch(application, tribe.bob, "Yes")
    assert role_of(application.agent) == Role.FACILITATOR
    other = services.apply(tribe.platform, make_user("omar"), name="Omar", statement="Hi")
    set_role(other.agent, Role.GUEST)
    services.expire_trials(tribe.platform, other.trial_ends_at + timedelta(seconds=1))
    assert role_of(other.agent) == Role.GUEST
