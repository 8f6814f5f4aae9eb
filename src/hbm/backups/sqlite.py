"""SQLite: a snapshot through SQLite's online backup API (consistent while the server writes:
in WAL mode the copy is one read transaction, which writers do not wait for), and a restore
that moves a whole file into place."""

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from hbm.backups.tables import row_counts, table_names

LOCK_WAIT_SECONDS = 20


def sqlite_snapshot(source: Path, dest: Path) -> dict[str, int]:
    """Copy the database at ``source`` to ``dest``; the row counts of that copy."""
    reader = _connect(source)
    copy = sqlite3.connect(dest)
    try:
        reader.backup(copy)
        # One self-contained file in the archive: the copy leaves WAL mode (the server's
        # settings put it back when it opens the restored file).
        copy.execute("PRAGMA journal_mode=DELETE")
        return row_counts(copy.cursor(), "sqlite")
    finally:
        copy.close()
        reader.close()


def sqlite_tables(path: Path) -> list[str]:
    if not path.exists() or path.stat().st_size == 0:
        return []
    with closing(_connect(path)) as db:
        return table_names(db.cursor(), "sqlite")


def sqlite_counts(path: Path) -> dict[str, int]:
    with closing(_connect(path)) as db:
        return row_counts(db.cursor(), "sqlite")


def sqlite_restore(staged: Path, target: Path) -> None:
    """Put the staged copy in place of ``target`` in one rename. The old database's WAL
    and shared-memory files go first: left beside the new file, they would be replayed
    into it."""
    landing = target.with_name(f".{target.name}.restoring")
    try:
        os.replace(staged, landing)
    except OSError:  # another file system: copy next to the target first
        shutil.copyfile(staged, landing)
    with landing.open("rb") as copy:
        os.fsync(copy.fileno())
    for suffix in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(landing, target)


def _connect(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise FileNotFoundError(f"no SQLite database at {path}")
    return sqlite3.connect(path, timeout=LOCK_WAIT_SECONDS)
