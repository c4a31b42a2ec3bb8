"""The API's French catalogue is complete: every message translated, nothing fuzzy."""

import re
from pathlib import Path

import tribu.api

CATALOGUE = Path(tribu.api.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
SOURCES = Path(tribu.api.__file__).parent


def entries(text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs, continuation lines joined."""
    pairs = []
    for block in text.split("\n\n"):
        parts = {"msgid": "", "msgstr": ""}
        current = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgstr) "(.*)"$', line)
            if match:
                current, value = match.groups()
                parts[current] = value
            elif current and line.startswith('"'):
                parts[current] += line[1:-1]
        if parts["msgid"]:
            pairs.append((parts["msgid"], parts["msgstr"]))
    return pairs


def test_every_api_message_has_a_french_translation():
    text = CATALOGUE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    pairs = entries(text)
    assert pairs
    assert [msgid for msgid, msgstr in pairs if not msgstr] == []


def test_the_catalogue_holds_every_message_of_the_code():
    """A message added to the code without running makemessages fails here."""
    known = {msgid for msgid, _ in entries(CATALOGUE.read_text(encoding="utf-8"))}
    pattern = re.compile(r'_\(\s*"((?:[^"\\]|\\.)*)"\s*\)')
    in_code = {m for path in SOURCES.rglob("*.py") for m in pattern.findall(path.read_text())}
    assert in_code and in_code <= known, in_code - known
