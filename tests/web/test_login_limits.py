"""Failed-login limits: counted once for every worker, per account and per address, without
locking out the other people behind an address, and on the admin's login too."""

from contextlib import contextmanager

import pytest
from asgiref.local import Local
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.test import Client
from django.urls import reverse

TOO_MANY = "Too many failed login attempts"
WRONG = "you specified are not correct"  # the password was checked, and was wrong
LIMIT_PER_ACCOUNT = 5


def password(username: str) -> str:
    return "pw-" + username * 2


class Worker:
    """One server process: its own test client and its own process memory for the cache
    (a fresh local-memory store and fresh cache connections), the database being shared."""

    def __init__(self):
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.memory = ({}, {}, {})

    @contextmanager
    def running(self, monkeypatch):
        with monkeypatch.context() as m:
            for name, store in zip(("_caches", "_expire_info", "_locks"), self.memory, strict=True):
                m.setattr(locmem, name, store)
            m.setattr(caches, "_connections", Local(caches.thread_critical))
            yield self.client


def try_login(client, username, secret, route="account_login"):
    if route == "account_login":
        return client.post(reverse(route), {"login": username, "password": secret})
    return client.post(reverse(route), {"username": username, "password": secret})


def test_forty_wrong_passwords_over_two_workers_get_five_tries(web_tribe, monkeypatch):
    workers = [Worker(), Worker()]
    checked = refused = 0
    for attempt in range(40):
        with workers[attempt % 2].running(monkeypatch) as client:
            response = try_login(client, "alice-essai", f"guess-{attempt}")
        checked += WRONG in response.content.decode()
        refused += TOO_MANY in response.content.decode() or response.status_code == 429
    assert checked == LIMIT_PER_ACCOUNT
    assert checked + refused == 40


def test_someone_elses_failures_do_not_lock_out_a_neighbour(client, web_tribe):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for attempt in range(2 * LIMIT_PER_ACCOUNT):
        try_login(client, "bob-essai", f"guess-{attempt}")
    assert TOO_MANY in try_login(client, "bob-essai", "guess").content.decode()
    neighbour = try_login(client, "alice-essai", password("alice-essai"))
    assert neighbour.status_code == 302
    assert client.session.get("_auth_user_id") == str(web_tribe.alice.user.pk)


def test_the_admin_login_is_limited_with_the_same_counters(client, web_tribe):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="hana-essai").update(is_staff=True, is_superuser=True)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for attempt in range(LIMIT_PER_ACCOUNT):
        page = try_login(client, "hana-essai", f"guess-{attempt}", "admin:login")
        assert TOO_MANY not in page.content.decode()
    refused = try_login(client, "hana-essai", password("hana-essai"), "admin:login")
    assert refused.status_code == 200 and TOO_MANY in refused.content.decode()
    site = try_login(client, "hana-essai", password("hana-essai"))
    assert TOO_MANY in site.content.decode()


@pytest.mark.parametrize("route", ["account_login", "admin:login"])
def test_a_right_password_still_logs_in_and_is_not_counted(client, web_tribe, route):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="hana-essai").update(is_staff=True)
    for _ in range(LIMIT_PER_ACCOUNT + 1):
        client.logout()
        assert try_login(client, "hana-essai", password("hana-essai"), route).status_code == 302
