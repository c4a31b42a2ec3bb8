"""Signup does not reveal whether an e-mail address already has an account."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.contrib.auth import get_user_model

from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


def signup(client, email: str, username: str):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "username": username,
            "password1": "un-long-mot-de-passe-42",
            "password2": "un-long-mot-de-passe-42",
        },
        headers={"accept-language": "en"},
    )


def test_a_known_email_gets_the_same_answer_as_a_new_one(db, client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # the production default
    make_user("known")  # known@example.org
    fresh = signup(client, "fresh@example.org", "fresh")
    taken = signup(client, "known@example.org", "someone")
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert b"already" not in taken.content
    assert get_user_model().objects.filter(email="known@example.org").count() == 1


def test_production_verifies_email_addresses():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-production-like-key-" + "y" * 30,
        "ALLOWED_HOSTS": "tribu.example.org",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("ACCOUNT_EMAIL_VERIFICATION", None)
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.ACCOUNT_EMAIL_VERIFICATION, "
        "settings.ACCOUNT_PREVENT_ENUMERATION]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["mandatory", True]
