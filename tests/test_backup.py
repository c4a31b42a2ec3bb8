"""Complete backups: everything a platform is, restored into an empty database byte for byte;
accounts travel as invitations (no password hash) unless an instance backup says otherwise."""

import json
import os
import subprocess
import sys

import pytest

from tests.convince.conftest import entry
from tests.factories import make_tribe
from tests.spaces.helpers import at, future
from tests.test_interchange import ROOT, busy_ledger
from tribu.community import services as community
from tribu.dossiers import sharing
from tribu.forecasts.services import save_forecast
from tribu.interchange import FileError
from tribu.interchange.backup import export_backup
from tribu.interchange.exporting import dumps, export_file
from tribu.ledger.models import EconomicResource
from tribu.spaces.services import add_resource, book, create_gathering, register


def a_whole_platform():
    """A platform with a ledger, a booking, a gathering with a registration, an invoice,
    needs and offers, saved forecasts, a funder's link (one revoked), and a second platform
    whose rows must stay out of the first's backup."""
    tribe = make_tribe(users=True)
    busy_ledger(tribe)
    room = EconomicResource.objects.get(platform=tribe.platform, slug="chambre-1")
    agora = add_resource(tribe.platform, slug="agora", name="Agora", kind="event_space")
    book(tribe.platform, tribe.bob, room, at("2026-03-02", 18), at("2026-03-04", 10))
    gathering = create_gathering(
        tribe.platform,
        tribe.hana,
        kind="learning_expedition",
        title="Learning expedition Acme",
        resource=agora,
        start=future(10, 9),
        end=future(10, 12),
        client=tribe.landlord,
        price="1500",
        invoiced_on=future(10).date(),
    )
    register(gathering, tribe.bob)
    community.post_intent(tribe.hana, kind="need", title="A plumber", tags="plumbing")
    community.post_intent(tribe.bob, kind="offer", title="Plumbing", tags="plumbing")
    save_forecast(tribe.platform, tribe.hana.user, entry())
    save_forecast(tribe.platform, tribe.hana.user, entry(years=2, note="Deux-ans"))
    sharing.grant(tribe.platform, tribe.hana.user, "Fondation X", 30)
    old, _token = sharing.grant(tribe.platform, tribe.hana.user, "Ancien mécène", None)
    sharing.revoke(tribe.platform, old.pk)
    other = make_tribe("autre", users=True)
    save_forecast(other.platform, other.hana.user, entry())
    return tribe


def fresh(tmp_path, name: str):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SQLITE_PATH=str(tmp_path / name), DJANGO_SETTINGS_MODULE="config.settings")

    def run(*args):
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done

    run("manage.py", "migrate", "-v0")
    return run


def test_a_platform_backup_restores_byte_for_byte_and_carries_no_password(db, tmp_path):
    tribe = a_whole_platform()
    source = tmp_path / "essai.json"
    export_file(tribe.platform, source, "backup")
    data = json.loads(source.read_text("utf-8"))
    tables = data["tables"]
    for label in ("spaces.Booking", "spaces.Gathering", "spaces.Registration", "spaces.Invoice"):
        assert tables[label], label
    assert tables["community.Intent"] and tables["platforms.MembershipChange"]
    assert [row["number"] for row in tables["forecasts.ForecastVersion"]] == [1, 2]
    assert [row["person"] for row in tables["dossiers.FunderLink"]] == [
        "Fondation X",
        "Ancien mécène",
    ]
    for label in ("forecasts.ForecastVersion", "dossiers.FunderLink"):
        assert {row["platform_id"] for row in tables[label]} == {tribe.platform.pk}
    # Who saved or granted them is an account: empty in a file without the accounts.
    assert {row["created_by_id"] for row in tables["forecasts.ForecastVersion"]} == {None}
    assert {row["granted_by_id"] for row in tables["dossiers.FunderLink"]} == {None}
    assert {p["slug"] for p in tables["platforms.Platform"]} == {"essai"}
    assert all(row["platform_id"] == tribe.platform.pk for row in tables["agents.Agent"])
    assert "accounts" not in data and "pbkdf2" not in source.read_text("utf-8")
    assert {"agent": tribe.bob.pk, "email": tribe.bob.user.email} in data["invitations"]
    assert all(row["user_id"] is None for row in tables["agents.Agent"])

    run = fresh(tmp_path, "fresh.sqlite3")
    restored = run("-m", "tribu.cli", "import", str(source)).stdout
    assert "tribu invite --platform essai" in restored
    again = tmp_path / "again.json"
    run("-m", "tribu.cli", "export", str(again), "--platform", "essai", "--format", "backup")
    assert again.read_bytes() == source.read_bytes()

    links = run("-m", "tribu.cli", "invite", "--platform", "essai").stdout
    bob = next(line for line in links.splitlines() if line.startswith(f"{tribe.bob.slug}\t"))
    assert tribe.bob.user.email in bob and "/invite/" in bob.split("\t")[2]
    token = bob.rstrip("/").rsplit("/", 1)[1]
    claimed = run("-c", CLAIM, token, tribe.bob.slug).stdout
    assert claimed.split() == [tribe.bob.slug, "True"]
    restored = run("-c", RESTORED, "essai").stdout
    assert restored.split() == ["2", "Deux-ans", "2", "—", "True", "False"]


# The restored forecasts still evaluate, and the funder's open link still opens.
RESTORED = """
import sys, django
django.setup()
from tribu.dossiers.models import FunderLink
from tribu.dossiers.sharing import is_open
from tribu.forecasts.models import ForecastVersion
from tribu.forecasts.services import evaluate_version
versions = ForecastVersion.objects.filter(platform__slug=sys.argv[1]).order_by("number")
last = versions.last()
shown = evaluate_version(last, draws=50)["version"]
links = FunderLink.objects.filter(platform__slug=sys.argv[1]).order_by("pk")
print(versions.count(), last.note, shown["number"], shown["created_by"],
      *[is_open(link) for link in links])
"""


# After a restore, the person opens the claim link with a new account and is the agent again.
CLAIM = """
import sys, django
django.setup()
from django.contrib.auth import get_user_model
from tribu.platforms.invitations import accept
user = get_user_model().objects.create_user("bob-again", password="a long new secret")
agent = accept(sys.argv[1], user)
print(agent.slug, get_user_model().objects.get(pk=user.pk).check_password("a long new secret"))
"""


def test_an_instance_backup_with_passwords_says_so_and_restores_them(db, tmp_path):
    a_whole_platform()
    source = tmp_path / "all.json"
    export_file(None, source, "backup", passwords=True)
    data = json.loads(source.read_text("utf-8"))
    assert data["passwords"] is True and data["scope"] == "instance"
    assert data["platforms"] == ["autre", "essai"]
    assert all(a["password"].startswith("pbkdf2") for a in data["accounts"])
    forecasts = data["tables"]["forecasts.ForecastVersion"]
    assert len(forecasts) == 3 and None not in {row["created_by_id"] for row in forecasts}
    assert len(data["tables"]["dossiers.FunderLink"]) == 2

    run = fresh(tmp_path, "fresh.sqlite3")
    run("-m", "tribu.cli", "import", str(source))
    again = tmp_path / "again.json"
    run("-m", "tribu.cli", "export", str(again), "--all", "--with-passwords")
    assert again.read_bytes() == source.read_bytes()


def test_a_backup_is_restored_into_an_empty_database_only(tribe, tmp_path):
    from tribu.interchange import import_file

    source = tmp_path / "essai.json"
    source.write_text(dumps(export_backup([tribe.platform])), encoding="utf-8")
    with pytest.raises(FileError, match="essai.json"):
        import_file(source)


def test_password_hashes_never_travel_in_a_platform_backup(tribe):
    with pytest.raises(FileError):
        export_backup([tribe.platform], passwords=True)
