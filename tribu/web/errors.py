"""Service errors become HTTP answers: 404 hides what does not exist for this visitor,
403 says a member lacks the role, and anonymous visitors are sent to log in."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404

from tribu.core.errors import NotFound, PermissionDenied


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
