"""Database triggers that make the ledger append-only, whatever writes to it.

Code never updates or deletes ledger rows, but code is not the only thing that touches a
database: a raw SQL session, an admin script or a buggy migration could. These triggers
make UPDATE, DELETE (and, on PostgreSQL, TRUNCATE) of ledger tables fail in the engine.
"""

APPEND_ONLY_TABLES = ("ledger_economicevent", "ledger_eventstatuschange")
MESSAGE = "the ledger is append-only: record a correction instead"


def _sqlite_statements(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({table})'); END"
        for op in ("UPDATE", "DELETE")
    ]


def _postgresql_statements(table: str) -> list[str]:
    return [
        "CREATE OR REPLACE FUNCTION tribu_append_only() RETURNS trigger AS $$ BEGIN "
        f"RAISE EXCEPTION '{MESSAGE} (%)', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; "
        "END $$ LANGUAGE plpgsql",
        f"CREATE OR REPLACE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION tribu_append_only()",
        f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION tribu_append_only()",
    ]


def _drop_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        ]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op} " for op in ("update", "delete")]


def install(connection) -> None:
    builder = _postgresql_statements if connection.vendor == "postgresql" else _sqlite_statements
    with connection.cursor() as cursor:
        for table in APPEND_ONLY_TABLES:
            for statement in builder(table):
                cursor.execute(statement)


def remove(connection) -> None:
    """Only for migrations going backwards and for emptying a test database between tests."""
    with connection.cursor() as cursor:
        for table in APPEND_ONLY_TABLES:
            for statement in _drop_statements(connection.vendor, table):
                cursor.execute(statement)
