"""The only write path for bookings, gatherings, invoices and residency terms.

Pages, the API, the management commands and the demo call these functions. Each one
checks who acts, validates, raises a `TribuError` naming what is wrong, and writes
nothing unless everything is valid. Whatever reaches the ledger goes through
`tribu.ledger.services`. One module per family of actions; this package names them all.
"""

from .agreements import (
    CONTRIBUTION_SPECS,
    HOURS_PER_DAY,
    add_months,
    contribution_spec,
    create_agreement,
    log_contribution,
)
from .bookings import (
    book,
    booking_link,
    bookings_to_ledger,
    cancel_booking,
    may_manage_booking,
    record_use,
    use_quantity,
)
from .feeds import feed_token, my_bookings, regenerate_feed_token
from .gatherings import (
    GATHERING_RESOURCES,
    cancel_gathering,
    cancel_registration,
    check_in,
    create_gathering,
    may_organize,
    register,
)
from .invoicing import (
    INVOICING_TERMS,
    SELLER_FIELDS,
    issue_invoice,
    mark_invoice_paid,
    may_manage_invoices,
    set_legal_details,
    update_invoicing,
)
from .resources import add_resource
from .settings import aware, local_zone, space_settings, update_space_settings, when

__all__ = [
    "CONTRIBUTION_SPECS",
    "GATHERING_RESOURCES",
    "HOURS_PER_DAY",
    "INVOICING_TERMS",
    "SELLER_FIELDS",
    "add_months",
    "add_resource",
    "aware",
    "book",
    "booking_link",
    "bookings_to_ledger",
    "cancel_booking",
    "cancel_gathering",
    "cancel_registration",
    "check_in",
    "contribution_spec",
    "create_agreement",
    "create_gathering",
    "feed_token",
    "issue_invoice",
    "local_zone",
    "log_contribution",
    "mark_invoice_paid",
    "may_manage_booking",
    "may_manage_invoices",
    "may_organize",
    "my_bookings",
    "record_use",
    "regenerate_feed_token",
    "register",
    "set_legal_details",
    "space_settings",
    "update_invoicing",
    "update_space_settings",
    "use_quantity",
    "when",
]
