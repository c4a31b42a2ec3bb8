"""Production starts: the README's production steps, then gunicorn with DEBUG off, and
every public page answers without a server error.

The static files are collected the way `make run` collects them (DEBUG on, the
development default): that must be enough for a production server too.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/api/docs", "/api/openapi.json"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    # Behind the TLS proxy production runs behind (SECURE_PROXY_SSL_HEADER).
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def environment(tmp_path):
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "DEBUG"}
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SQLITE_PATH": str(tmp_path / "tribu.sqlite3"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }


def run(env: dict, *argv: str) -> None:
    result = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_serves_every_public_page_with_debug_off(environment):
    run(environment, "manage.py", "collectstatic", "--noinput", "-v0")  # as `make run` does
    production = {
        **environment,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-production-like-key-" + "y" * 30,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    # The README's production steps (collectstatic already ran, above).
    run(production, "manage.py", "migrate", "--noinput", "-v0")
    run(production, "manage.py", "compilemessages", "--ignore=.venv", "-v0")
    run(production, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=production,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(base + "/")
                break
            except OSError:
                time.sleep(0.2)
        for page in PAGES:
            status, body = fetch(base + page)
            assert status == 200, (page, status, body[:300])
        status, home = fetch(base + "/")
        stylesheet = home.decode().split('rel="stylesheet" href="')[1].split('"')[0]
        assert fetch(base + stylesheet)[0] == 200, stylesheet
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_check_deploy_refuses_uncollected_static_files(environment):
    production = {
        **environment,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-production-like-key-" + "y" * 30,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=production,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "tribu.E001" in result.stderr and "collectstatic" in result.stderr
