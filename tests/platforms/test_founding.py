"""Founding a platform through its three doors (web form, API, import): the same cases,
the same words, nothing written on bad input; drafts reach their founders only."""

import pytest
from django.test import Client

from tests.factories import make_user
from tribu.agents.models import Agent
from tribu.ledger.models import ResourceSpecification
from tribu.platforms.founding import found_platform, update_settings
from tribu.platforms.models import Membership, Platform, PlatformStatus, Role, SettingChange

from .conftest import found_by_api, found_by_import, found_on_the_web, future, past

BAD = [
    pytest.param({"cause_title": "  "}, "which Cause the place is dedicated to", id="empty-cause"),
    pytest.param({"monthly_rent": "-100"}, "The monthly rent cannot be negative", id="rent<0"),
    pytest.param({"surface_m2": "0"}, "surface of the place must be more than 0", id="surface=0"),
    pytest.param({"opening_date": past()}, "choose a date not in the past", id="past-opening"),
]


def english_client(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.mark.parametrize(("fields", "words"), BAD)
def test_the_api_refuses_bad_input_in_plain_words(founder, fields, words):
    status, message = found_by_api(founder, **fields)
    assert status == 400 and words in message
    assert not Platform.objects.exists()


@pytest.mark.parametrize(("fields", "words"), BAD)
def test_the_import_refuses_bad_input_in_the_same_words(db, tmp_path, capsys, fields, words):
    code, out = found_by_import(tmp_path, capsys, **fields)
    assert code != 0 and words in out
    assert not Platform.objects.exists()


@pytest.mark.parametrize(("fields", "words"), BAD)
def test_the_web_form_refuses_bad_input_in_the_same_words(founder, fields, words):
    response = found_on_the_web(english_client(founder), **fields)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Platform.objects.exists()


def test_a_taken_address_is_refused_with_a_free_one_offered_by_api_and_web(founder):
    assert found_by_api(founder, slug="la-ruche") == (201, "la-ruche")
    status, message = found_by_api(founder, slug="la-ruche")
    assert status == 409 and "“la-ruche-2” is free" in message
    response = found_on_the_web(english_client(founder), slug="la-ruche")
    assert "“la-ruche-2” is free" in response.content.decode()
    assert Platform.objects.count() == 1


def test_the_import_keeps_an_existing_platform_and_says_so(founder, tmp_path, capsys):
    found_by_api(founder, slug="la-ruche")
    code, out = found_by_import(tmp_path, capsys, slug="la-ruche", name="Autre nom")
    assert code == 0 and "already exists" in out
    assert Platform.objects.get().name == "La Ruche"


@pytest.mark.parametrize("door", ["api", "web"])
def test_the_founder_hosts_a_draft_with_the_default_catalogue(founder, door):
    if door == "api":
        assert found_by_api(founder)[0] == 201
    else:
        assert found_on_the_web(english_client(founder)).status_code == 302
    platform = Platform.objects.get()
    assert platform.status == PlatformStatus.DRAFT and platform.surface_m2 == 200
    me = Agent.objects.get(platform=platform, user=founder)
    assert Membership.objects.get(agent=me).role == Role.HOST
    assert platform.host.name == "Les Amis du Sentier"
    assert me in platform.host.representatives.all()
    assert ResourceSpecification.objects.filter(platform=platform, slug="rent").exists()


def test_a_draft_reaches_its_founders_only(founder, db):
    platform = found_platform(founder, host_name="Hôte", name="Brouillon", cause_title="Une cause")
    stranger = make_user("zed")
    mine, theirs = english_client(founder), english_client(stranger)
    assert mine.get(f"/p/{platform.slug}/").status_code == 200
    assert mine.get(f"/p/{platform.slug}/settings/").status_code == 200
    for path in ("/", "/settings/", "/ledger/", "/balance/", "/roles/", "/join/"):
        assert theirs.get(f"/p/{platform.slug}{path}").status_code == 404, path
        assert Client().get(f"/p/{platform.slug}{path}").status_code in (302, 404), path
    assert platform.name not in Client().get("/").content.decode()
    from .conftest import api_client

    assert api_client(stranger).get(f"/api/platforms/{platform.slug}").status_code == 404
    assert platform.slug not in api_client(stranger).get("/api/platforms").content.decode()
    assert platform.slug in api_client(founder).get("/api/platforms").content.decode()
    patch = api_client(stranger).patch(
        f"/api/platforms/{platform.slug}", '{"name": "X"}', content_type="application/json"
    )
    assert patch.status_code == 404


def test_settings_changes_are_kept_in_an_append_only_history(founder):
    platform = found_platform(founder, host_name="Hôte", name="Ruche", cause_title="Une cause")
    update_settings(platform, founder, monthly_rent="3500", name="Ruche")
    change = SettingChange.objects.get(field="monthly_rent")
    assert (change.before, change.after, change.by) == ("", "3500.00", founder)
    with pytest.raises(Exception):  # noqa: B017, PT011 - the engine refuses, whatever the error class
        SettingChange.objects.filter(pk=change.pk).update(after="1")


def test_opening_makes_the_draft_public_and_listed(founder):
    client = api_client_for(founder)
    found_by_api(founder, slug="la-ruche", opening_date=future(3))
    response = client.post(
        "/api/platforms/la-ruche/status", '{"status": "open"}', content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "open"
    assert "La Ruche" in Client().get("/").content.decode()
    assert Client().get("/p/la-ruche/").status_code == 200


def api_client_for(user):
    from .conftest import api_client

    return api_client(user)


def test_the_settings_page_and_the_api_refuse_and_keep_changes_alike(founder):
    platform = found_platform(founder, host_name="Hôte", name="Ruche", cause_title="Une cause")
    client = english_client(founder)
    form = client.get(f"/p/{platform.slug}/settings/").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    refused = client.post(f"/p/{platform.slug}/settings/", {**data, "monthly_rent": "-5"})
    assert "The monthly rent cannot be negative" in refused.content.decode()
    api = api_client_for(founder)
    patch = api.patch(
        f"/api/platforms/{platform.slug}", '{"monthly_rent": -5}', content_type="application/json"
    )
    assert patch.status_code == 400 and "cannot be negative" in patch.json()["message"]
    assert not SettingChange.objects.exclude(field="created").exists()
    saved = client.post(f"/p/{platform.slug}/settings/", {**data, "monthly_rent": "2500"})
    assert saved.status_code == 302
    kept = SettingChange.objects.exclude(field="created").values_list("field", "after")
    assert set(kept) == {("monthly_rent", "2500.00")}
    history = api.get(f"/api/platforms/{platform.slug}/settings/history").json()
    assert [c["field"] for c in history] == ["monthly_rent", "created"]


def test_a_closed_platform_is_read_only_for_settings_invitations_and_declarations(tribe):
    from tribu.core.errors import Conflict
    from tribu.ledger.declared import declare_flow
    from tribu.platforms.founding import set_status
    from tribu.platforms.invitations import invite

    from .test_declared import rent

    tribe.hana.user = make_user("hana")
    tribe.hana.save()
    set_status(tribe.platform, tribe.hana.user, PlatformStatus.CLOSED)
    for attempt in (
        lambda: update_settings(tribe.platform, tribe.hana.user, name="Autre"),
        lambda: invite(tribe.platform, tribe.hana, "x@example.org"),
        lambda: declare_flow(tribe.platform, tribe.hana, rent(tribe), "note"),
    ):
        with pytest.raises(Conflict, match="closed"):
            attempt()
    assert Platform.objects.get(pk=tribe.platform.pk).name == "Tribu essai"


def test_an_open_platform_keeps_its_past_opening_date_when_its_settings_are_saved(db):
    from tests.factories import make_tribe

    tribe = make_tribe(users=True)
    platform, hana = tribe.platform, tribe.hana
    Platform.objects.filter(pk=platform.pk).update(opening_date=past(400))
    client = english_client(hana.user)
    page = client.get(f"/p/{platform.slug}/settings/")
    assert "While the platform is in preparation: today or later." in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    saved = client.post(f"/p/{platform.slug}/settings/", {**data, "monthly_rent": "2500"})
    assert saved.status_code == 302
    platform.refresh_from_db()
    assert platform.opening_date.isoformat() == past(400)
