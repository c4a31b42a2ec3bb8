"""Database triggers that make tables append-only, whatever writes to them.

Code never updates or deletes these rows, but code is not the only thing that touches a
database: a raw SQL session, an admin script or a buggy migration could. The triggers
make UPDATE, DELETE (and, on PostgreSQL, TRUNCATE, which skips row triggers) fail in the
engine itself, on SQLite and PostgreSQL alike.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class AppendOnly:
    """A set of append-only tables sharing one refusal message."""

    function: str  # the PostgreSQL trigger function's name
    tables: tuple[str, ...]
    message: str

    def install(self, connection) -> None:
        build = self._postgresql if connection.vendor == "postgresql" else self._sqlite
        with connection.cursor() as cursor:
            for table in self.tables:
                for statement in build(table):
                    cursor.execute(statement)

    def remove(self, connection) -> None:
        """Only for migrations going backwards and for emptying a test database."""
        with connection.cursor() as cursor:
            for table in self.tables:
                for statement in self._drop(connection.vendor, table):
                    cursor.execute(statement)

    def trigger_names(self, vendor: str) -> set[str]:
        suffixes = (
            ("no_change", "no_truncate") if vendor == "postgresql" else ("no_update", "no_delete")
        )
        return {f"{table}_{suffix}" for table in self.tables for suffix in suffixes}

    def _sqlite(self, table: str) -> list[str]:
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{self.message} ({table})'); END"
            for op in ("UPDATE", "DELETE")
        ]

    def _postgresql(self, table: str) -> list[str]:
        return [
            f"CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{self.message} (%)', TG_TABLE_NAME "
            "USING ERRCODE = 'restrict_violation'; END $$ LANGUAGE plpgsql",
            f"CREATE OR REPLACE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {self.function}()",
            f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {self.function}()",
        ]

    @staticmethod
    def _drop(vendor: str, table: str) -> list[str]:
        if vendor == "postgresql":
            return [
                f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            ]
        return [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")]


def registered() -> tuple[AppendOnly, ...]:
    """Every guard the settings list (TRIBU_GUARDS), in their order."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    return tuple(import_string(path) for path in settings.TRIBU_GUARDS)


def install_all(using: str = "default", **_signal) -> None:
    """Put every guard in place; harmless when they already are.

    Run after every `migrate`: on SQLite, a migration that alters a guarded table (adding
    a constraint, say) rebuilds it and loses its triggers with the old table."""
    from django.db import connections

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    for guard in registered():
        if tables.issuperset(guard.tables):  # a partial migrate may not have made them yet
            guard.install(connection)
