"""Rows per table, read through any DB-API cursor: the manifest's counts and the check
after a restore are the same query."""

from typing import Any, Protocol

SQLITE_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
)
POSTGRESQL_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
TABLES = {"sqlite": SQLITE_TABLES, "postgresql": POSTGRESQL_TABLES}


class Cursor(Protocol):
    def execute(self, sql: str, /) -> Any: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...


def table_names(cursor: Cursor, vendor: str) -> list[str]:
    cursor.execute(TABLES[vendor])
    return sorted(str(name) for (name,) in cursor.fetchall())


def row_counts(cursor: Cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for name in table_names(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {quoted(name)}")
        ((count,),) = cursor.fetchall()
        counts[name] = int(count)
    return counts


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
