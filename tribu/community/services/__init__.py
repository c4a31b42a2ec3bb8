"""The only write path of community life."""

from .joining import *  # noqa: F403
