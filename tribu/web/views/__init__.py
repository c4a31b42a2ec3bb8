from .balance import balance_csv, balance_line, balance_sheet, balance_xlsx, flow_map
from .catalogue import catalogue, catalogue_edit, catalogue_version
from .ledger import (
    event_confirm,
    event_correct,
    event_detail,
    event_dispute,
    event_record,
    ledger,
    to_confirm,
)
from .members import members
from .public import favicon, home, platform_detail, profile

__all__ = [
    "balance_csv",
    "balance_line",
    "balance_sheet",
    "balance_xlsx",
    "catalogue",
    "catalogue_edit",
    "catalogue_version",
    "event_confirm",
    "event_correct",
    "event_detail",
    "event_dispute",
    "event_record",
    "favicon",
    "flow_map",
    "home",
    "ledger",
    "members",
    "platform_detail",
    "to_confirm",
    "profile",
]
