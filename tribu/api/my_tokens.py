"""The caller's own API tokens: list them, revoke one (as the page /me/tokens/ does, and
`tribu token USERNAME --revoke PREFIX`). A token may revoke itself."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema, Status

from .auth import TOKEN
from .schemas import ERRORS, MAX_ID, ErrorOut
from .tokens import revoke_own_token, tokens_of

router = Router(tags=["tokens"], auth=TOKEN)
TokenId = Annotated[int, Field(ge=1, le=MAX_ID)]


class TokenOut(Schema):
    id: int
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


@router.get("/me/tokens", response={200: list[TokenOut], ERRORS: ErrorOut}, summary="My API tokens")
def list_tokens(request):
    return [
        {
            "id": t.pk,
            "prefix": t.prefix,
            "created_at": t.created_at,
            "last_used_at": t.last_used_at,
            "expires_at": t.expires_at,
        }
        for t in tokens_of(request.auth)
    ]


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None, ERRORS: ErrorOut},
    summary="Revoke one of my API tokens: it stops working at once",
)
def revoke_token(request, token_id: TokenId):
    revoke_own_token(request.auth, token_id)
    return Status(204, None)
