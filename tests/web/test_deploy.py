"""`manage.py check --deploy` is clean under production settings.

Production means DEBUG off, a real SECRET_KEY, the site's host name and a real mail
backend (the console backend is for development; Django refuses it in production)."""

import os
import subprocess
import sys
from pathlib import Path

from django.templatetags.static import static

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a deployment does not.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-production-like-key-" + "y" * 30,
        "ALLOWED_HOSTS": "tribu.example.org",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_production_mailer_reaches_the_documented_smtp_server():
    script = (
        "import django; django.setup(); from django.core import mail; "
        "m = mail.mailers['default']; print(m.host, m.port, m.username, m.use_tls)"
    )
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-production-like-key-" + "y" * 30,
        "ALLOWED_HOSTS": "tribu.example.org",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_HOST_USER": "tribu@example.org",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["smtp.example.org", "587", "tribu@example.org", "True"], (
        result.stderr
    )


def test_the_app_serves_its_own_favicon_and_error_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == static("tribu/favicon.svg")
    assert (ROOT / "tribu" / "static" / "tribu" / "favicon.svg").read_text().startswith("<svg")
    from django.template.loader import render_to_string
    from django.utils import translation

    for language, words in (("fr", "Une erreur s’est produite"), ("en", "Something went wrong")):
        with translation.override(language):
            assert words in render_to_string("500.html")


def test_docs_link_only_to_files_that_exist():
    import re

    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)\)", doc.read_text()):
            assert (doc.parent / target).exists(), f"{doc.name} links to {target}"
        assert "DESIGN.md" not in doc.read_text() or (ROOT / "DESIGN.md").exists(), doc.name
