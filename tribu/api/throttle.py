"""Per-token call limits for the API's costly operations.

The counters live in Django's default cache, so that every worker process of a server
shares them (the database cache unless another shared cache is configured). A fixed
window of one minute: simple, and at most twice the limit across a window's edge.
"""

import time

from django.core.cache import caches
from django.utils.translation import gettext as _

from tribu.core.errors import TribuError

WINDOW_SECONDS = 60


class TooManyCalls(TribuError):
    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def spend_call(operation: str, token: str, per_minute: int) -> None:
    """Count one call of `operation` with `token` (its digest); refuse beyond the limit."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"tribu:calls:{operation}:{token}:{window}"
    cache = caches["default"]
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        calls = cache.incr(key)
    except ValueError:  # expired between add and incr: this call opens the window again
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        calls = 1
    if calls > per_minute:
        wait = max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999))
        message = _(
            "too many evaluations with this token: %(count)d a minute at most; "
            "try again in %(wait)d s"
        ) % {"count": per_minute, "wait": wait}
        raise TooManyCalls(message, wait)
