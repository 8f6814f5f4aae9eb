"""PostgreSQL: ``pg_dump -Fc`` of a snapshot exported by a repeatable-read transaction (the
manifest's row counts are read in that same transaction, so they are the dump's), and
``pg_restore --clean --if-exists --single-transaction``: a restore that fails changes nothing.

The client tools get the connection through PG* variables of their own environment, never on
their command line, and never prompt for a password."""

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import psycopg
from django.db import connection

from hbm.backups.tables import row_counts, table_names
from hbm.lib.rejected import Rejected

# libpq parameters that Django's OPTIONS may carry, with the variable each tool reads.
OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
SETTING_VARIABLES = {
    "NAME": ("dbname", "PGDATABASE"),
    "USER": ("user", "PGUSER"),
    "PASSWORD": ("password", "PGPASSWORD"),
    "HOST": ("host", "PGHOST"),
    "PORT": ("port", "PGPORT"),
}
TOOL_MISSING = (
    "{tool}: not found on PATH; install the PostgreSQL client {major} (postgresql-client-{major})"
)
TOOL_TOO_OLD = (
    "{tool} {found} cannot work with this PostgreSQL {major} server; install the PostgreSQL "
    "client {major} (postgresql-client-{major})"
)
TOOL_FAILED = "{tool}: {line}"
CANNOT_CONNECT = "database {name}: cannot connect ({error})"


def _parameters() -> dict[str, str]:
    settings = connection.settings_dict
    found = {key: str(settings[name]) for name, (key, _) in SETTING_VARIABLES.items()}
    options = settings.get("OPTIONS", {})
    found |= {key: str(options[key]) for key in OPTION_VARIABLES if key in options}
    return {key: value for key, value in found.items() if value}


def _tool_environment() -> dict[str, str]:
    variables = {var for _, var in SETTING_VARIABLES.values()} | set(OPTION_VARIABLES.values())
    env = {key: value for key, value in os.environ.items() if key not in variables}
    names = {key: var for key, var in SETTING_VARIABLES.values()} | OPTION_VARIABLES
    env |= {names[key]: value for key, value in _parameters().items()}
    return env


def _connect() -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(**_parameters())  # type: ignore[arg-type]
    except psycopg.OperationalError as error:
        name = connection.settings_dict["NAME"]
        raise Rejected([CANNOT_CONNECT.format(name=name, error=str(error).strip())]) from None


def _tool(name: str, server_version: int) -> str:
    major = server_version // 10000
    path = shutil.which(name)
    if path is None:
        raise Rejected([TOOL_MISSING.format(tool=name, major=major)])
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"\)\s+(\d+)", out)
    if found is None or int(found.group(1)) < major:
        raise Rejected([TOOL_TOO_OLD.format(tool=name, found=out.strip(), major=major)])
    return path


def _run(tool: str, *args: str) -> None:
    done = subprocess.run(
        [tool, "--no-password", *args], env=_tool_environment(), capture_output=True, text=True
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()] or ["failed"]
        name = Path(tool).name
        raise Rejected([TOOL_FAILED.format(tool=name, line=line) for line in lines])


def postgresql_snapshot(dest: Path) -> dict[str, int]:
    """Dump the database to ``dest``; the row counts of what was dumped."""
    with _connect() as db:
        db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        db.read_only = True
        pg_dump = _tool("pg_dump", db.info.server_version)
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            assert row is not None
            counts = row_counts(cursor, "postgresql")
            _run(pg_dump, "--format=custom", f"--snapshot={row[0]}", f"--file={dest}")
        db.rollback()
    return counts


def postgresql_tables() -> list[str]:
    with _connect() as db, db.cursor() as cursor:
        return table_names(cursor, "postgresql")


def postgresql_counts() -> dict[str, int]:
    with _connect() as db, db.cursor() as cursor:
        return row_counts(cursor, "postgresql")


def postgresql_restore(dump: Path) -> None:
    """Restore in one transaction: objects of the dump are dropped and created again. Owners
    and grants are not restored (the target's user owns what it restores)."""
    with _connect() as db:
        pg_restore = _tool("pg_restore", db.info.server_version)
    _run(
        pg_restore,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={connection.settings_dict['NAME']}",
        str(dump),
    )
