"""A platform's members: members read the list; the host and facilitator add people."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tribu.core.errors import TribuError
from tribu.platforms.access import STEWARDS, access_member
from tribu.platforms.models import Membership, TrialArea

from ..context import platform_context
from ..errors import page
from ..forms import AddMemberForm
from ..members import add_member


@page
def members(request, slug: str):
    platform, actor, _role = access_member(request.user, slug, area=TrialArea.MEMBERS)
    if request.method == "POST":
        platform, actor, _role = access_member(request.user, slug, roles=STEWARDS)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            agent = add_member(platform, actor, d["user"], d["role"], d["name"])
        except TribuError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is now a member.") % {"name": agent.name})
            return redirect("members", platform.slug)
    memberships = (
        Membership.objects.filter(platform=platform)
        .select_related("agent")
        .order_by("role", "agent__name")
    )
    return render(
        request,
        "web/members.html",
        platform_context(request, platform, memberships=memberships, form=form),
    )
