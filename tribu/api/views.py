"""The page where one lists and revokes one's own API tokens (/me/tokens/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import ApiToken


@login_required
def my_tokens(request):
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {"tokens": tokens})


@login_required
@require_POST
def revoke(request, token_id: int):
    revoked, _by_model = ApiToken.objects.filter(user=request.user, pk=token_id).delete()
    if not revoked:
        raise Http404(_("no such token"))
    messages.success(request, _("Token revoked: it no longer works."))
    return redirect("my-tokens")
