"""The demo's observatory: its two platforms publish their latest year, and a small set
of illustrative peer documents shows what a grown network looks like.

The peers are generated (synthetic.py), signed by a key made from a fixed seed, and go
through the same checks as any pulled document. Every document here says
`illustrative: true`; the observatory never pools them with real ones.
"""

import hashlib
import random

from django.utils.translation import gettext as _

from tribu.platforms.models import Platform

from . import services, synthetic
from .documents import now_text
from .indicators import years_with_events
from .models import Subscription
from .signing import Signer

PEERS = 30
PEER_FEED = "https://illustrative-peers.invalid/observatory/feed.json"
PEER_SEED = hashlib.sha256(b"tribu illustrative peers").digest()


def extend(platforms: dict[str, Platform], log) -> None:
    for platform in platforms.values():
        years = years_with_events(platform)
        if years and services.live_document(platform, years[0]) is None:
            services.publish(platform, years[0])
            log(_("Demo: %(name)s publishes its %(y)s indicators.") % {
                "name": platform.name, "y": years[0]})  # fmt: skip
    stored = illustrative_peers()
    log(_("Demo: %(n)s illustrative peer documents.") % {"n": stored})


def peer_documents(signer: Signer, last_year: int) -> list[dict]:
    rng = random.Random(2026)  # noqa: S311 - illustrative figures, not secrets
    issued = now_text()
    return [
        signer.envelope(
            synthetic.document(
                signer.fingerprint,
                number,
                year,
                rng,
                name=_("Illustrative place no. %(n)s (demo)") % {"n": number},
                issued_at=issued,
            )
        )
        for number in range(1, PEERS + 1)
        for year in (last_year - 1, last_year)
    ]


def illustrative_peers() -> int:
    """Receive the peers' documents once: a second run finds them all known."""
    signer = Signer(PEER_SEED)
    subscription, _created = Subscription.objects.get_or_create(
        url=PEER_FEED, defaults={"illustrative": True, "public_key": signer.public_key}
    )
    last_year = int(now_text()[:4]) - 1
    feed = {"documents": peer_documents(signer, last_year), "withdrawals": []}
    stored, _refused = services.accept_items(subscription, feed)
    return stored
