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


@dataclass(frozen=True)
class FrozenBut(AppendOnly):
    """Tables whose rows never go away and change only in the `mutable` columns: an
    UPDATE that changes any other column, a DELETE or a TRUNCATE fails."""

    mutable: tuple[str, ...] = ()

    def install(self, connection) -> None:
        with connection.cursor() as cursor:
            for table in self.tables:
                if connection.vendor == "postgresql":
                    statements = self._postgresql(table)
                else:
                    columns = connection.introspection.get_table_description(cursor, table)
                    frozen = [c.name for c in columns if c.name not in self.mutable]
                    statements = self._sqlite_frozen(table, frozen)
                for statement in statements:
                    cursor.execute(statement)

    def _sqlite_frozen(self, table: str, frozen: list[str]) -> list[str]:
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in frozen)
        raise_ = f"SELECT RAISE(ABORT, '{self.message} ({table})')"
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"WHEN {changed} BEGIN {raise_}; END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN {raise_}; END",
        ]

    def _postgresql(self, table: str) -> list[str]:
        # The row as JSON without its mutable columns: any other difference is refused.
        mutable = "".join(f" - '{c}'" for c in self.mutable)
        return [
            f"CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger AS $$ BEGIN "
            "IF TG_OP <> 'UPDATE' OR "
            f"(to_jsonb(OLD){mutable}) IS DISTINCT FROM (to_jsonb(NEW){mutable}) THEN "
            f"RAISE EXCEPTION '{self.message} (%)', TG_TABLE_NAME "
            "USING ERRCODE = 'restrict_violation'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            f"CREATE OR REPLACE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {self.function}()",
            f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {self.function}()",
        ]


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
