"""Every page and the text report, in French and in English, carry no sentence of the other
language's catalogue: no English on French pages, no French on English ones."""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from tests import pages
from tribu.cli import main as tribu

ROOT = Path(__file__).resolve().parents[2] / "tribu"
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>")


def fragments(text: str) -> list[str]:
    """The parts of a catalogue string long enough to be a sentence of one language."""
    return [
        part.strip()
        for part in PLACEHOLDER.split(text)
        if len(part.strip()) >= 18 and len(part.split()) >= 3
    ]


def catalogue() -> tuple[set[str], set[str]]:
    """(English, French) fragments of every entry whose translation differs."""
    english, french = set(), set()
    for mo in ROOT.glob("**/locale/fr/LC_MESSAGES/django.mo"):
        with mo.open("rb") as handle:
            entries = gettext.GNUTranslations(handle)._catalog
        for key, value in entries.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if not msgid or value == msgid:
                continue
            english.update(fragments(msgid))
            french.update(fragments(value))
    # A fragment both languages write the same way (a name, a figure) proves nothing.
    return english - french, french - english


class Text(HTMLParser):
    """What a reader sees or hears: text, and the labels given in attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.hidden += 1
        for name, value in attrs:
            if name in {"aria-label", "title", "placeholder", "alt"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def leaks(text: str, foreign: set[str]) -> list[str]:
    flat = " ".join(text.split())
    return sorted(f for f in foreign if f in flat)


@pytest.fixture
def language_restored():
    """Each request activates its language in this thread: put the previous one back."""
    with translation.override(translation.get_language()):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("language_restored")
def test_every_page_and_the_text_report_speak_one_language(capsys):
    pages.build()
    english, french = catalogue()
    assert len(english) > 200 and len(french) > 200
    found = {}
    for language, foreign in (("fr", english), ("en", french)):
        clients = {}
        for user, path in pages.every_page():
            client = clients.setdefault(user, Client(headers={"accept-language": language}))
            if user and not client.session.get("_auth_user_id"):
                from django.contrib.auth import get_user_model

                client.force_login(get_user_model().objects.get(username=user))
            client.cookies["django_language"] = language
            response = client.get(path, follow=True)
            assert response.status_code == 200, (language, path, response.status_code)
            wrong = leaks(visible(response.content.decode()), foreign)
            if wrong:
                found[(language, path)] = wrong
        code = tribu(
            ["--language", language, "report", "--platform", pages.SENTIER, "--agent",
             "officience", "--format", "text"]
        )  # fmt: skip
        assert code == 0
        wrong = leaks(capsys.readouterr().out, foreign)
        if wrong:
            found[(language, "text report")] = wrong
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())
