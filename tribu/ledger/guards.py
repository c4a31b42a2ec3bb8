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

# Catalogue versions and the values they carry: a price changes by a new version.
CATALOGUE = AppendOnly(
    function="tribu_catalogue_history",
    tables=("ledger_catalogueversion", "ledger_specificationvalues"),
    message="the catalogue history is append-only: publish a new version instead",
)

# The hash chain over the histories: a link, once written, stays.
CHAIN = AppendOnly(
    function="tribu_chain_history",
    tables=("ledger_historylink",),
    message="the hash chain is append-only",
)
