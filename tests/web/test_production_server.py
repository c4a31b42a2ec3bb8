"""Production starts: the README's production steps, then gunicorn with DEBUG off, and
every public page answers without a server error.

The static files are collected the way `make run` collects them (DEBUG on, the
development default): that must be enough for a production server too.
"""

import os
import re
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
MAX_PAGES = 150
LINK = re.compile(r'href="(/[^"#]*)"')
NOT_PAGES = ("/static/", "/media/", "/admin/", "/accounts/logout")


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


def crawl(base: str) -> dict[str, int]:
    """Every page a visitor reaches by following the site's links from the listed pages:
    status by path."""
    seen: dict[str, int] = {}
    queue = list(PAGES)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        status, body = fetch(base + url)
        seen[url] = status
        if status == 200 and body.lstrip()[:15].lower().startswith(b"<!doctype html"):
            links = LINK.findall(body.decode("utf-8", "replace"))
            queue += [u.replace("&amp;", "&") for u in links if not u.startswith(NOT_PAGES)]
    return seen


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
    run(production, "-c", "from tribu.cli import main; raise SystemExit(main(['demo']))")
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
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(base + "/")
                break
            except OSError:
                time.sleep(0.2)
        seen = crawl(base)
        assert len(seen) >= 20 and any(url.startswith("/p/") for url in seen), sorted(seen)
        failed = {url: status for url, status in seen.items() if status >= 500}
        assert failed == {}
        for page in PAGES:
            assert seen.get(page) == 200, page
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
