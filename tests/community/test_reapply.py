"""A refused applicant waits before applying again; vouch requests are rate-limited
(issue 9, item 2)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.factories import make_user
from tribu.community import services
from tribu.community.models import Notification, Resolution
from tribu.core.errors import Conflict
from tribu.platforms.access import role_of


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refuse(tribe, application):
    concern = services.raise_concern(application, tribe.bob, "Not in line with the Cause")
    services.decide_concern(
        concern, tribe.fanny, Resolution.UPHELD, reasons="Upheld", advice="Asked Hana"
    )


def test_an_upheld_concern_is_not_undone_by_applying_again(tribe):
    user = make_user("nina")
    application = services.apply(tribe.platform, user, name="Nina", statement="Hello")
    refuse(tribe, application)
    with pytest.raises(Conflict, match="apply again from"):
        services.apply(tribe.platform, user, name="Nina", statement="Hello again")
    assert role_of(application.agent) == "alumni"


def test_after_the_platforms_period_a_refused_person_may_apply_again(tribe):
    user = make_user("nina")
    application = services.apply(tribe.platform, user, name="Nina", statement="Hello")
    refuse(tribe, application)
    settings = services.settings_for(tribe.platform)
    later = timezone.now() + timedelta(days=settings.reapply_days, seconds=1)
    again = services.apply(tribe.platform, user, name="Nina", statement="Back", now=later)
    assert again.pk != application.pk


def test_vouch_requests_are_rate_limited_per_day(tribe):
    settings = services.settings_for(tribe.platform)
    settings.vouch_requests_per_day = 2
    settings.save()
    for name in ("ann", "ben", "cat", "dan"):
        services.apply(tribe.platform, make_user(name), name=name, statement="Hi")
    asked = Notification.objects.filter(recipient=tribe.alice, kind="vouch_request")
    assert asked.count() == 2
    tomorrow = timezone.now() + timedelta(days=1, seconds=1)
    services.apply(tribe.platform, make_user("eve"), name="Eve", statement="Hi", now=tomorrow)
    assert asked.count() == 3
