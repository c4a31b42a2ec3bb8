"""Who is calling: a bearer token, or (on public data only) an anonymous visitor.

`TOKEN` guards endpoints that need a member; `PUBLIC` also lets visitors in, but only
when they present no credentials at all: a wrong token is refused (401), never quietly
downgraded to anonymous, so that a client notices its token no longer works.
"""

from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer

from .models import token_digest
from .tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            # Per-token limits (throttle.py) count by the secret's digest, never the secret.
            request.api_token = token_digest(token)
        return user


def visitor(request):
    if "Authorization" in request.headers:
        return None
    return AnonymousUser()


def user_of(request):
    """The caller: the token's user, or the session's (pages calling the API)."""
    return request.auth if getattr(request, "auth", None) is not None else request.user


TOKEN = [TokenAuth()]
PUBLIC = [TokenAuth(), visitor]
