"""Calling an operation as a persona of the access matrix, and a page as the same person.

The two platforms of the `world` fixture are alike: an action done through a page in one
and through the API in the other must leave the same thing behind."""

import json

from django.test import Client


def call(world, who: str | None, method: str, path: str, body=None):
    """`who`'s token (e.g. "alice-essai") on /api/platforms/…; answers in English."""
    client = world.client(who)
    kwargs: dict = {"headers": {"accept-language": "en"}}
    if method != "get":
        kwargs.update(
            data=json.dumps({} if body is None else body), content_type="application/json"
        )
    return getattr(client, method)("/api" + path, **kwargs)


def browser(agent) -> Client:
    """A logged-in browser of the person behind `agent`."""
    client = Client(headers={"accept-language": "en"})
    client.force_login(agent.user)
    return client


def message(response) -> str:
    return response.json()["message"]
