"""The ledger is append-only in the database itself: events and their status history."""

from tribu.core.guards import AppendOnly

LEDGER = AppendOnly(
    function="tribu_append_only",
    tables=("ledger_economicevent", "ledger_eventstatuschange"),
    message="the ledger is append-only: record a correction instead",
)
install = LEDGER.install
remove = LEDGER.remove

# Declared flows and their monthly schedules: kept as declared, like the events they make.
DECLARED = AppendOnly(
    function="tribu_declared_append_only",
    tables=("ledger_declaration", "ledger_recurringcost"),
    message="declared flows are append-only: declare a correction instead",
)
