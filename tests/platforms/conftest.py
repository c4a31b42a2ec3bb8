"""A founder with a login and a token, and helpers to found through each door."""

import json
from datetime import timedelta

import pytest
import yaml
from django.test import Client
from django.utils import timezone, translation

from tests.factories import make_user
from tribu.api.tokens import issue_token
from tribu.cli import main


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; the pages follow Accept-Language as always."""
    with translation.override("en"):
        yield


@pytest.fixture
def founder(db):
    return make_user("nora")


def future(days: int = 30) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def past(days: int = 1) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


GOOD = {
    "name": "La Ruche",
    "cause_title": "Les nouvelles citoyennetés",
    "cause_category": "social_inclusion",
    "carrier_profile": "activist_association",
    "address": "3 rue du Sentier, 75002 Paris",
    "surface_m2": "200",
    "capacity": "30",
    "monthly_rent": "4000",
    "monthly_charges": "600",
}


def api_client(user) -> Client:
    token = issue_token(user.username)
    return Client(headers={"authorization": f"Bearer {token}", "accept-language": "en"})


def found_by_api(user, **fields):
    """(status, message or slug) of POST /api/platforms."""
    body = {"host_name": "Les Amis du Sentier", "opening_date": future(), **GOOD, **fields}
    response = api_client(user).post(
        "/api/platforms", json.dumps(body), content_type="application/json"
    )
    data = response.json()
    return response.status_code, data.get("message") or data.get("slug")


def found_by_import(tmp_path, capsys, slug="la-ruche", **fields):
    """(exit code, output) of `tribu import` of a file with these platform fields."""
    block = {"slug": slug, "status": "draft", "opening_date": future(), **GOOD, **fields}
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump({"platform": block}, allow_unicode=True))
    capsys.readouterr()
    code = main(["--language", "en", "import", str(path)])
    out, err = capsys.readouterr()
    return code, out + err


def found_on_the_web(client: Client, **fields):
    """Walks the guided form; returns the last response."""
    data = {"host_name": "Les Amis du Sentier", "opening_date": future(), **GOOD, **fields}
    slug = data.pop("slug", None)
    response = None
    for step, names in enumerate(STEP_FIELDS):
        post = {"step": step, **{n: data[n] for n in names if n in data}}
        response = client.post("/start/", post)
        if response.status_code != 302:
            return response
    post = {"step": len(STEP_FIELDS)}
    post["slug"] = (
        slug or client.get(f"/start/?step={len(STEP_FIELDS)}").context["form"]["slug"].value()
    )
    return client.post("/start/", post)


STEP_FIELDS = [
    ["name", "cause_title", "cause_category", "cause_detail", "manifesto"],
    ["carrier_profile", "host_name", "founder_name"],
    [
        "address",
        "commune_code",
        "surface_m2",
        "capacity",
        "monthly_rent",
        "monthly_charges",
        "opening_date",
    ],
]
