"""Service errors become HTTP answers, for every app's pages: 404 hides what does not exist
for this visitor, 403 says a member lacks the role, anonymous visitors are sent to log in,
and any other refusal of an action is a message on the page the visitor came from."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from tribu.core.errors import NotFound, PermissionDenied, TribuError


def page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(str(error)) from error
        except PermissionDenied as error:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Forbidden(str(error)) from error

    return wrapper


def action(view):
    """`page` for a view that acts: a refusal other than 404 / 403 goes back where the
    visitor came from, as a message."""

    @page
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (NotFound, PermissionDenied):
            raise
        except TribuError as exc:
            messages.error(request, str(exc))
            return redirect(back(request))

    return wrapper


def act(request, call, success: str) -> bool:
    """Run a service call from a button; its refusal becomes a message on the page."""
    try:
        call()
    except (NotFound, PermissionDenied):
        raise
    except TribuError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


def back(request) -> str:
    """Where the visitor came from, when it is this site; else the current page."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(referer, {request.get_host()})
    return referer if referer and safe else request.path
