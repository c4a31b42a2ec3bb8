"""Indicator and withdrawal documents: how they are framed, and how a received one is
checked before anything of it is stored (signature, schema version, fields, plausibility).
"""

import json
import math
import re
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .indicators import FIELDS, OPTIONAL_FIELDS, REASONS, SCHEMA, SECTIONS, WITHDRAWAL_SCHEMA
from .signing import canonical, fingerprint, verify_bytes

FEED_SCHEMA = "tribu-feed/1"
MAX_DOCUMENT_BYTES = 64 * 1024
CLOCK_SKEW = timedelta(minutes=5)
FIRST_YEAR = 1990
ID_PATTERN = re.compile(r"[A-Za-z0-9_.\-/]{1,200}")


class Refused(Exception):
    """A received document that must not be stored; the message says why."""


def now_text() -> str:
    return timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(document: dict, signature: str) -> dict:
    return {"document": document, "signature": signature}


def loads(text: str | bytes):
    """JSON without NaN or Infinity, which no canonical form can carry."""

    def refuse(name):
        raise Refused(_("malformed: %(v)s is not a number JSON allows") % {"v": name})

    try:
        return json.loads(text, parse_constant=refuse)
    except (ValueError, UnicodeDecodeError) as error:
        raise Refused(_("malformed: not JSON (%(e)s)") % {"e": error}) from None


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_value(name: str, kind: str, value) -> None:
    """Types and plausibility of one field; None means "not recorded" and is allowed."""
    if value is None:
        return
    bad = _("field “%(f)s”: %(why)s")
    if kind == "text":
        if not isinstance(value, str) or len(value) > 200:
            raise Refused(bad % {"f": name, "why": _("not a short text")})
    elif kind == "date":
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            raise Refused(bad % {"f": name, "why": _("not a date")}) from None
    elif kind == "reasons":
        if (
            not isinstance(value, dict)
            or len(value) > 100
            or not all(
                isinstance(k, str) and len(k) <= 200 and v in REASONS for k, v in value.items()
            )
        ):
            raise Refused(bad % {"f": name, "why": _("not a table of reasons")})
    elif kind in ("counts", "amounts"):
        if not isinstance(value, dict) or len(value) > 100:
            raise Refused(bad % {"f": name, "why": _("not a table of figures")})
        for key, item in value.items():
            _check_value(f"{name}.{key}", "int" if kind == "counts" else "number", item)
    else:
        if not _is_number(value):
            raise Refused(bad % {"f": name, "why": _("not a number")})
        if kind == "int" and value != int(value):
            raise Refused(bad % {"f": name, "why": _("not a whole number")})
        if value < 0:
            raise Refused(bad % {"f": name, "why": _("negative")})
        if kind == "share" and value > 1:
            raise Refused(bad % {"f": name, "why": _("a share above 1")})


def _check_fields(document: dict) -> None:
    for section in SECTIONS:
        if not isinstance(document.get(section), dict):
            raise Refused(_("missing field “%(f)s”") % {"f": section})
    for section, name, kind, *_rest in FIELDS:
        if name not in document[section]:
            if (section, name) in OPTIONAL_FIELDS:
                continue
            raise Refused(_("missing field “%(f)s”") % {"f": f"{section}.{name}"})
        _check_value(f"{section}.{name}", kind, document[section][name])
    economics = document["economics"]
    ends = [economics[n] for n in ("ratio_p5", "ratio_p50", "ratio_p95")]
    if None not in ends and not ends[0] <= ends[1] <= ends[2]:
        raise Refused(_("implausible: the ratio's percentiles are out of order"))


def _check_identity(document: dict, issuer: str) -> None:
    for name in ("id", "issued_at"):
        if not isinstance(document.get(name), str) or not document[name]:
            raise Refused(_("missing field “%(f)s”") % {"f": name})
    if document.get("issuer") != issuer:
        raise Refused(_("signed by another key than the feed's"))
    if not ID_PATTERN.fullmatch(document["id"]) or not document["id"].startswith(issuer + "/"):
        raise Refused(_("field “id”: not an identifier of this issuer"))
    try:
        issued = datetime.fromisoformat(document["issued_at"].replace("Z", "+00:00"))
    except ValueError:
        raise Refused(_("field “issued_at”: not a date and time")) from None
    if issued.tzinfo is None:
        raise Refused(_("field “issued_at”: no time zone"))
    if issued > timezone.now() + CLOCK_SKEW:
        raise Refused(_("future-dated: issued at %(at)s") % {"at": document["issued_at"]})


def _check_indicators(document: dict) -> None:
    platform = document.get("platform")
    if not isinstance(platform, dict) or not all(
        isinstance(platform.get(k), str) and platform[k] for k in ("ref", "name")
    ):
        raise Refused(_("missing field “%(f)s”") % {"f": "platform"})
    year = document.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise Refused(_("missing field “%(f)s”") % {"f": "year"})
    if not FIRST_YEAR <= year <= timezone.now().year:
        raise Refused(_("implausible: year %(y)s") % {"y": year})
    if not isinstance(document.get("illustrative"), bool):
        raise Refused(_("missing field “%(f)s”") % {"f": "illustrative"})
    _check_fields(document)


def check(item, public_key: str) -> tuple[dict, str]:
    """The document inside a received envelope and its canonical text, once every check
    passed; else Refused."""
    if not isinstance(item, dict) or not isinstance(item.get("document"), dict):
        raise Refused(_("malformed: not a signed document"))
    document, signature = item["document"], item.get("signature")
    if not isinstance(signature, str) or not signature:
        raise Refused(_("unsigned"))
    try:
        body = canonical(document)
    except Exception:  # noqa: BLE001 - whatever the canonical form cannot carry is malformed
        raise Refused(_("malformed: cannot be put in canonical form")) from None
    if len(body) > MAX_DOCUMENT_BYTES:
        raise Refused(_("oversized: %(n)s bytes") % {"n": len(body)})
    schema = document.get("schema")
    if schema not in (SCHEMA, WITHDRAWAL_SCHEMA):
        raise Refused(_("unknown schema version “%(s)s”") % {"s": str(schema)[:40]})
    if not verify_bytes(public_key, body, signature):
        raise Refused(_("bad signature"))
    _check_identity(document, fingerprint(public_key))
    if schema == SCHEMA:
        _check_indicators(document)
    elif not isinstance(document.get("withdraws"), str):
        raise Refused(_("missing field “%(f)s”") % {"f": "withdraws"})
    return document, body.decode()
