"""Errors that services raise: one message, naming what is wrong, safe to show a user."""


class TribuError(Exception):
    """Base of every error a user can cause; the message is one line."""

    status = 400


class NotFound(TribuError):
    status = 404


class PermissionDenied(TribuError):
    status = 403


class Conflict(TribuError):
    status = 409
