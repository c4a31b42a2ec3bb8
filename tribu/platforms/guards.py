"""Database triggers that keep a platform's histories (settings, roles) from being rewritten."""

from tribu.core.guards import AppendOnly

SETTINGS_HISTORY = AppendOnly(
    function="tribu_platform_history",
    tables=("platforms_settingchange",),
    message="platform settings history is append-only: add a new change instead",
)
install = SETTINGS_HISTORY.install
remove = SETTINGS_HISTORY.remove

ROLES = AppendOnly(
    function="tribu_role_history",
    tables=("platforms_membershipchange",),
    message="the history of roles is append-only: record a new change instead",
)
