"""Database triggers that keep the community's histories from being rewritten.

Steps of an application, vouches, concerns and their resolutions, introductions,
charter versions and comments are written once; code never updates them, and these
triggers make an UPDATE fail in the engine too (SQLite and PostgreSQL), whatever issues
it. Deleting is left to the engine's cascades: a platform that is removed takes its
history with it, and test databases can be emptied between tests like any other.
"""

HISTORY_TABLES = (
    "community_applicationstep",
    "community_vouch",
    "community_concern",
    "community_concernresolution",
    "community_introduction",
    "community_charterversion",
    "community_chartercomment",
)
MESSAGE = "community history is append-only: add a new step instead"
FUNCTION = "tribu_community_history"


def _sqlite(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({table})'); END"
    ]


def _postgresql(table: str) -> list[str]:
    return [
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$ BEGIN "
        f"RAISE EXCEPTION '{MESSAGE} (%)', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; "
        "END $$ LANGUAGE plpgsql",
        f"CREATE OR REPLACE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
    ]


def install(connection) -> None:
    builder = _postgresql if connection.vendor == "postgresql" else _sqlite
    with connection.cursor() as cursor:
        for table in HISTORY_TABLES:
            for statement in builder(table):
                cursor.execute(statement)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for table in HISTORY_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
