"""The only write path for bookings, gatherings, invoices and residency terms."""

from .bookings import *  # noqa: F403
