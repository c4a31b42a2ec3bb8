"""One module knows roles: who is a steward, who holds which role, who may act."""

import pytest

from tests.factories import make_tribe
from tribu.core.errors import PermissionDenied
from tribu.platforms.access import (
    FACILITATORS,
    STEWARDS,
    agent_is_steward,
    check_member,
    members,
    require_role,
)

pytestmark = pytest.mark.django_db


def test_stewards_are_the_host_and_the_facilitators():
    tribe = make_tribe()
    assert [agent_is_steward(a) for a in (tribe.hana, tribe.fanny, tribe.alice)] == [
        True,
        True,
        False,
    ]
    assert not agent_is_steward(tribe.landlord)  # an organization holds no role


def test_members_are_the_people_holding_the_roles():
    tribe = make_tribe()
    assert set(members(tribe.platform, FACILITATORS)) == {tribe.fanny}
    assert set(members(tribe.platform, STEWARDS)) == {tribe.hana, tribe.fanny}
    assert tribe.host not in set(members(tribe.platform))


def test_require_role_names_who_and_what():
    tribe = make_tribe()
    assert require_role(tribe.fanny, FACILITATORS, "adopt charter changes") == "facilitator"
    with pytest.raises(PermissionDenied, match="“alice” may not adopt charter changes here"):
        require_role(tribe.alice, FACILITATORS, "adopt charter changes")


def test_check_member_refuses_other_platforms_and_other_roles():
    tribe, other = make_tribe(), make_tribe("autre")
    assert check_member(tribe.platform, tribe.alice) == "resident"
    with pytest.raises(PermissionDenied, match="“alice” is not a member of this platform"):
        check_member(tribe.platform, other.alice)
    with pytest.raises(PermissionDenied, match=r"“alice” may not do this here \(role: resident\)"):
        check_member(tribe.platform, tribe.alice, STEWARDS)
