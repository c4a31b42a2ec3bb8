"""Every error leaves the API as JSON `{"message": ..., "status": N}` with a 4xx status.

A server error under /api/ answers JSON too, `{"message": ..., "status": 500}`, through
`server_error`, Django's handler500 (which logs the error first).

Input that does not match the schema (wrong type, missing field, malformed JSON) answers
422 with the field errors listed in `errors`; input that is well-formed but wrong for the
ledger (unknown agent, a counterparty confirming its own event…) answers the status of
the service's `TribuError`: 400, 403, 404 or 409.
"""

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tribu.core.errors import TribuError
from tribu.core.validation import InvalidValue
from tribu.valuation import ValuationError

from .throttle import TooManyCalls


def error_response(api, request, status: int, message: str, **extra):
    return api.create_response(
        request, {"message": message, "status": status, **extra}, status=status
    )


def _field_errors(errors: list[dict]) -> list[dict]:
    return [
        {"loc": [str(part) for part in error.get("loc", ())], "message": str(error.get("msg", ""))}
        for error in errors
    ]


def install_handlers(api) -> None:
    @api.exception_handler(TribuError)
    def tribu_error(request, exc: TribuError):
        return error_response(api, request, exc.status, str(exc))

    @api.exception_handler(InvalidValue)
    def invalid_value(request, exc: InvalidValue):
        return error_response(api, request, exc.status, str(exc), field=exc.field)

    @api.exception_handler(TooManyCalls)
    def too_many_calls(request, exc: TooManyCalls):
        response = error_response(api, request, 429, str(exc))
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValuationError)
    def valuation_error(request, exc: ValuationError):
        return error_response(api, request, 400, str(exc))

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors = _field_errors(exc.errors)
        first = errors[0] if errors else {"loc": [], "message": ""}
        message = _("invalid input at %(where)s: %(what)s") % {
            "where": ".".join(first["loc"]),
            "what": first["message"],
        }
        return error_response(api, request, 422, message, errors=errors)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc: AuthenticationError):
        response = error_response(
            api, request, 401, _("a valid token is needed: Authorization: Bearer <token>")
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return error_response(api, request, exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return error_response(api, request, 404, _("not found"))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc: SuspiciousOperation):
        # For instance a body above DATA_UPLOAD_MAX_MEMORY_SIZE.
        return error_response(
            api,
            request,
            400,
            _("the request was refused: %(why)s") % {"why": exc.__class__.__name__},
        )


def server_error(request):
    """Django's handler500: JSON under /api/, the site's error page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"message": _("server error: the request could not be completed"), "status": 500}
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
