"""Publishing a platform's year, withdrawing it, serving the feed, and receiving peers'.

The page, the API and the management commands all call these functions.
"""

import hashlib
import json
import logging
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from tribu.core.errors import Conflict, NotFound, TribuError
from tribu.platforms.models import Platform, PlatformStatus

from .documents import FEED_SCHEMA, FIRST_YEAR, Refused, check, envelope, loads, now_text
from .indicators import (
    COMPLEMENT,
    DOMINANCE,
    FIELDS,
    FREQUENCY,
    SCHEMA,
    WITHDRAWAL_SCHEMA,
    indicators,
)
from .models import Document, Refusal, Subscription, Withdrawal
from .signing import ALGORITHM, canonical, instance_key, sign

log = logging.getLogger("tribu.observatory")

MAX_FEED_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 10
PUBLISH_DRAWS = 2000


# --- what would leave --------------------------------------------------------------


def draft_document(platform: Platform, year: int) -> dict:
    """The document a publication of `year` would sign, without its id and time."""
    if platform.status == PlatformStatus.DRAFT:
        raise TribuError(_("A draft platform cannot publish its figures yet."))
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise TribuError(_("There are no figures for the year %(y)s.") % {"y": year})
    return {
        "schema": SCHEMA,
        "issuer": instance_key().fingerprint,
        "platform": {"ref": platform.slug, "name": platform.name},
        **indicators(platform, year, draws=PUBLISH_DRAWS),
    }


def digest(document: dict) -> str:
    """What the steward saw: publishing checks that the figures did not move since."""
    return hashlib.sha256(canonical(document)).hexdigest()


WITHHELD_WORDS = {
    FREQUENCY: _lazy("withheld: fewer than 3 people gave it"),
    DOMINANCE: _lazy("withheld: one person gave more than 85 % of it"),
    COMPLEMENT: _lazy("withheld: with the totals it would reveal another withheld figure"),
}


def preview_rows(document: dict) -> list[dict]:
    """Each field that would leave, with its meaning, in the documented order; a withheld
    figure (or entry of a table) carries why, in words."""
    reasons = document["quality"].get("withheld") or {}
    rows = []
    for section, name, _kind, meaning, cm_name in FIELDS:
        path, value = f"{section}.{name}", document[section].get(name)
        row = {"section": section, "name": name, "meaning": meaning, "value": value}
        row["commune_mesure"] = cm_name or ""
        row["withheld"] = WITHHELD_WORDS.get(reasons.get(path))
        row["entries"] = None
        if isinstance(value, dict):
            # The table of reasons itself is shown in words too.
            own = path == "quality.withheld"
            row["entries"] = [
                (key, item, WITHHELD_WORDS.get(item if own else reasons.get(f"{path}.{key}")))
                for key, item in value.items()
            ]
        rows.append(row)
    return rows


def live_document(platform: Platform, year: int) -> Document | None:
    return Document.objects.filter(
        platform=platform, year=year, subscription=None, withdrawn_at=None
    ).first()


# --- publishing and withdrawing ----------------------------------------------------


def _columns(document: dict) -> dict:
    economics, place = document["economics"], document["place"]
    return {
        "platform_name": document["platform"]["name"][:200],
        "year": document["year"],
        "cause_category": place["cause_category"] or "",
        "carrier_profile": place["carrier_profile"] or "",
        "region_code": place["region_code"] or "",
        "commune_code": place["commune_code"] or "",
        "ratio": economics["ratio"],
        "p_above_1": economics["p_ratio_above_1"],
        "benefits": economics["extended_benefits"] or 0,
        "costs": economics["extended_costs"] or 0,
        "illustrative": document["illustrative"],
    }


@transaction.atomic
def publish(platform: Platform, year: int, seen: str | None = None) -> Document:
    """Sign and publish the year's document. `seen` is the digest the steward previewed."""
    Platform.objects.select_for_update().filter(pk=platform.pk).first()
    if live_document(platform, year) is not None:
        raise Conflict(_("The year %(y)s is already published.") % {"y": year})
    draft = draft_document(platform, year)
    if seen is not None and seen != digest(draft):
        raise Conflict(_("The figures changed since the preview: look at them again."))
    serial = Document.objects.filter(platform=platform, year=year, subscription=None).count() + 1
    document = {
        **draft,
        "id": f"{draft['issuer']}/{platform.slug}/{year}/{serial}",
        "issued_at": now_text(),
    }
    return Document.objects.create(
        doc_id=document["id"],
        body=canonical(document).decode(),
        signature=sign(document),
        issuer=document["issuer"],
        platform=platform,
        platform_ref=f"{document['issuer']}/{platform.slug}",
        **_columns(document),
    )


@transaction.atomic
def withdraw(platform: Platform, year: int) -> Withdrawal:
    published = live_document(platform, year)
    if published is None:
        raise NotFound(_("The year %(y)s is not published.") % {"y": year})
    document = {
        "schema": WITHDRAWAL_SCHEMA,
        "id": f"{published.doc_id}/withdrawal",
        "issuer": published.issuer,
        "issued_at": now_text(),
        "withdraws": published.doc_id,
    }
    published.withdrawn_at = timezone.now()
    published.save(update_fields=["withdrawn_at"])
    return Withdrawal.objects.create(
        doc_id=document["id"],
        withdraws=published.doc_id,
        body=canonical(document).decode(),
        signature=sign(document),
    )


# --- serving -----------------------------------------------------------------------


def signed(row) -> dict:
    return envelope(json.loads(row.body), row.signature)


def key_document() -> dict:
    key = instance_key()
    return {"algorithm": ALGORITHM, "public_key": key.public_key, "fingerprint": key.fingerprint}


def feed() -> dict:
    """Every document this instance published and has not withdrawn, and its withdrawals."""
    ours = Document.objects.filter(subscription=None, withdrawn_at=None).order_by("id")
    return {
        "schema": FEED_SCHEMA,
        **key_document(),
        "documents": [signed(row) for row in ours],
        "withdrawals": [signed(row) for row in Withdrawal.objects.order_by("id")],
    }


# --- receiving ---------------------------------------------------------------------


def refuse(subscription: Subscription | None, item, reason: str) -> None:
    doc_id = ""
    if isinstance(item, dict) and isinstance(item.get("document"), dict):
        doc_id = str(item["document"].get("id", ""))[:200]
    log.warning("observatory: refused %s from %s: %s", doc_id or "?", subscription, reason)
    Refusal.objects.create(subscription=subscription, doc_id=doc_id, reason=reason[:300])


def _store(subscription: Subscription, document: dict, body: str, signature: str) -> bool:
    """Store a checked document; False when it was already known exactly."""
    known = Document.objects.filter(doc_id=document["id"]).values_list("body", "withdrawn_at")
    for held, withdrawn_at in known:
        if withdrawn_at is not None or held == body:
            return False
        raise Refused(_("duplicate id with different content"))
    columns = _columns(document)
    columns["illustrative"] = columns["illustrative"] or subscription.illustrative
    Document.objects.create(
        doc_id=document["id"],
        body=body,
        signature=signature,
        issuer=document["issuer"],
        subscription=subscription,
        platform_ref=f"{document['issuer']}/{document['platform']['ref']}"[:200],
        **columns,
    )
    return True


def _honour(subscription: Subscription, document: dict) -> bool:
    """A withdrawal: the document's content is dropped, its id kept so it never returns."""
    return bool(
        Document.objects.filter(
            doc_id=document["withdraws"], subscription=subscription, withdrawn_at=None
        ).update(withdrawn_at=timezone.now(), body="{}", ratio=None, p_above_1=None)
    )


def receive(subscription: Subscription, item) -> str:
    """Check and store one envelope: "stored", "known" or "refused" (logged, nothing kept)."""
    try:
        with transaction.atomic():
            document, body = check(item, subscription.public_key)
            if document["schema"] == WITHDRAWAL_SCHEMA:
                done = _honour(subscription, document)
            else:
                done = _store(subscription, document, body, item["signature"])
    except Refused as refusal:
        refuse(subscription, item, str(refusal))
        return "refused"
    return "stored" if done else "known"


def _read(response) -> bytes:
    """At most MAX_FEED_BYTES + 1, within TIMEOUT_SECONDS in all: the socket timeout bounds
    each read only, and a feed that trickles in must not hold the pull for hours."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    chunks, size = [], 0
    while size <= MAX_FEED_BYTES:
        chunk = response.read1(min(64 * 1024, MAX_FEED_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if time.monotonic() > deadline:
            raise Refused(
                _("too slow: no whole feed within %(s)s seconds") % {"s": TIMEOUT_SECONDS}
            )
    return b"".join(chunks)


def fetch(url: str) -> dict:
    """The feed at `url`, within the timeout and size limit; Refused otherwise."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise Refused(_("not a web address"))
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            data = _read(response)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise Refused(_("unreachable: %(e)s") % {"e": error}) from None
    if len(data) > MAX_FEED_BYTES:
        raise Refused(_("oversized feed: more than %(n)s bytes") % {"n": MAX_FEED_BYTES})
    feed = loads(data)
    if not isinstance(feed, dict) or feed.get("schema") != FEED_SCHEMA:
        raise Refused(_("not a Tribu observatory feed"))
    return feed


def _pin(subscription: Subscription, feed: dict) -> None:
    key = feed.get("public_key")
    if not isinstance(key, str) or feed.get("algorithm") != ALGORITHM:
        raise Refused(_("the feed has no Ed25519 public key"))
    if subscription.public_key and subscription.public_key != key:
        raise Refused(_("the feed's key changed since the first pull"))
    if not subscription.public_key:
        subscription.public_key = key
        subscription.save(update_fields=["public_key"])


def _already_known(subscription: Subscription, items: list) -> set[str]:
    """Ids of items whose exact signed bytes this subscription already holds: checked once,
    they need not be checked again (a feed serves every document at every pull)."""
    ids = [doc_id for doc_id in map(_item_id, items) if doc_id is not None]
    held = Document.objects.filter(subscription=subscription, doc_id__in=ids).values_list(
        "doc_id", "body", "signature", "withdrawn_at"
    )
    known = {doc_id: (body, signature, gone) for doc_id, body, signature, gone in held}
    same = set()
    for item in items:
        doc_id = _item_id(item)
        if doc_id in known:
            body, signature, gone = known[doc_id]
            if gone is not None or (item.get("signature") == signature and _body(item) == body):
                same.add(doc_id)
    return same


def _item_id(item) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("document"), dict):
        doc_id = item["document"].get("id")
        return doc_id if isinstance(doc_id, str) else None
    return None


def _body(item: dict) -> str | None:
    try:
        return canonical(item["document"]).decode()
    except Exception:  # noqa: BLE001 - not canonical, so not what we hold
        return None


def accept_items(subscription: Subscription, feed: dict) -> tuple[int, int]:
    """(stored, refused) over the feed's documents, then its withdrawals."""
    stored = refused = 0
    for name in ("documents", "withdrawals"):
        items = feed.get(name) or []
        if not isinstance(items, list):
            raise Refused(_("malformed feed"))
        known = _already_known(subscription, items) if name == "documents" else set()
        for item in items:
            if _item_id(item) in known:
                continue
            outcome = receive(subscription, item)
            stored += outcome == "stored"
            refused += outcome == "refused"
    return stored, refused


def pull(subscription: Subscription) -> tuple[int, int]:
    """Fetch one subscription's feed and keep what passes every check."""
    try:
        feed = fetch(subscription.url)
        with transaction.atomic():  # one commit per pull; each document has its savepoint
            _pin(subscription, feed)
            stored, refused = accept_items(subscription, feed)
        result = _("%(s)s new, %(r)s refused") % {"s": stored, "r": refused}
    except Refused as refusal:
        refuse(subscription, None, str(refusal))
        stored, refused, result = 0, 1, str(refusal)
    subscription.last_pulled_at = timezone.now()
    subscription.last_result = result[:300]
    subscription.save(update_fields=["last_pulled_at", "last_result"])
    return stored, refused


def pull_all() -> dict[str, tuple[int, int]]:
    """Every subscription but the demo's illustrative peers, which live in the database only."""
    subscriptions = Subscription.objects.filter(illustrative=False).order_by("id")
    return {sub.url: pull(sub) for sub in subscriptions}


def subscribe(url: str, illustrative: bool = False) -> Subscription:
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise TribuError(_("“%(url)s” is not a web address.") % {"url": url})
    subscription, _created = Subscription.objects.get_or_create(
        url=url, defaults={"illustrative": illustrative}
    )
    return subscription
