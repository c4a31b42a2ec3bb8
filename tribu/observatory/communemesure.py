"""An indicator document under the names of Commune Mesure's place schema.

Only the fields whose meaning is the same are carried (see FIELDS' last column); the
others are left out rather than stretched. Source of the names: Plateau-Urbain /
Commune-Mesure, storage/app/places/schema.json (commit 175371f).
"""

from .indicators import FIELDS


def _put(target: dict, path: str, value) -> None:
    *parents, leaf = path.split(".")
    for name in parents:
        target = target.setdefault(name, {})
    target[leaf] = value


def commune_mesure(document: dict) -> dict:
    """The Commune Mesure record of one document: its overlapping fields, nested by name."""
    record: dict = {"name": document["platform"]["name"], "publish": True}
    for section, name, _kind, _meaning, cm_name in FIELDS:
        if cm_name and document[section].get(name) is not None:
            _put(record, cm_name, document[section][name])
    return record
