from .members import members
from .public import favicon, home, platform_detail, profile, to_confirm

__all__ = [
    "favicon",
    "home",
    "members",
    "platform_detail",
    "to_confirm",
    "profile",
]
