"""The page where one lists and revokes one's own API tokens (/me/tokens/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tribu.core.errors import NotFound

from .tokens import revoke_own_token, tokens_of


@login_required
def my_tokens(request):
    tokens = tokens_of(request.user)
    return render(request, "api/tokens.html", {"tokens": tokens})


@login_required
@require_POST
def revoke(request, token_id: int):
    try:
        revoke_own_token(request.user, token_id)
    except NotFound as error:
        raise Http404(str(error)) from error
    messages.success(request, _("Token revoked: it no longer works."))
    return redirect("my-tokens")
