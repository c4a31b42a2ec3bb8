from .balance import balance_csv, balance_line, balance_sheet, balance_xlsx, flow_map
from .members import members
from .public import favicon, home, platform_detail, profile, to_confirm

__all__ = [
    "balance_csv",
    "balance_line",
    "balance_sheet",
    "balance_xlsx",
    "favicon",
    "flow_map",
    "home",
    "members",
    "platform_detail",
    "to_confirm",
    "profile",
]
