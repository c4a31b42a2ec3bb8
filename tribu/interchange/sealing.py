"""The chain head an export publishes, and its verification when a file is imported.

The head is the hash chain of `tribu.ledger.chain` (same digest, same genesis) run over
the export's own history rows, in the export's order: each catalogue version, each
agent's role history, each event with its status history. It is not the database chain's
head: that one covers database ids, the order the rows were written in and histories the
format leaves out (invoices), so no one holding only the file could recompute it, and a
re-import (new ids) could never match it. Over the exported content, the head is the
same wherever the ledger is rebuilt, and anyone can recompute it from the file.
"""

import json

from django.utils.translation import gettext as _

from tribu.ledger.chain import GENESIS, digest

from .formats import Where

KEY = "chain_head"


def _text(item) -> str:
    # Files read from YAML may hold dates and numbers where an export writes strings.
    return json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _rows(data: dict):
    catalogue = data.get("catalogue")
    versions = catalogue.get("versions") if isinstance(catalogue, dict) else None
    for version in versions or []:
        yield "catalogue", version
    for agent in data.get("agents") or []:
        if isinstance(agent, dict):
            yield "roles", {"slug": agent.get("slug"), "history": agent.get("role_history")}
    for event in data.get("events") or []:
        yield "events", event


def head(data: dict) -> str:
    """The digest the chain ends on, over the file's catalogue, roles and events."""
    previous = GENESIS
    for table, row in _rows(data):
        previous = digest(previous, table, _text(row))
    return previous


def verify(data: dict, where: Where) -> None:
    """A file that carries a head must hold the very rows it was computed over."""
    received = data.get(KEY)
    if received is None:  # hand-written files carry none
        return
    if not isinstance(received, str) or received != head(data):
        raise where.at(KEY, data).error(
            _(
                "the file's ledger does not match its chain head: a catalogue version, a "
                "role or an event was changed, added or removed after the export"
            )
        )
