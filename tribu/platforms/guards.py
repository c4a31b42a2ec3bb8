"""The history of roles is append-only in the database itself, like the ledger."""

from tribu.core.guards import AppendOnly

ROLES = AppendOnly(
    function="tribu_role_history",
    tables=("platforms_membershipchange",),
    message="the history of roles is append-only: record a new change instead",
)
