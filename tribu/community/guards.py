"""Database triggers that keep the community's histories from being rewritten.

Steps of an application, vouches, concerns and their resolutions, introductions,
charter versions and comments are written once; code never updates them, and these
triggers make an UPDATE or a DELETE fail in the engine too (SQLite and PostgreSQL),
whatever issues it.
"""

from tribu.core.guards import AppendOnly

HISTORY_TABLES = (
    "community_applicationstep",
    "community_vouch",
    "community_concern",
    "community_concernresolution",
    "community_introduction",
    "community_charterversion",
    "community_chartercomment",
)
HISTORY = AppendOnly(
    function="tribu_community_history",
    tables=HISTORY_TABLES,
    message="community history is append-only: add a new step instead",
)
install = HISTORY.install
remove = HISTORY.remove
