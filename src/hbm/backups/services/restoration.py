"""``hbm restore``: the archive is verified in full before anything is touched; then the
database, media, index snapshot and keys are put in place, and the restored row counts are
checked against the manifest."""

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections

from hbm.backups import locations
from hbm.backups.archive import extract, verified_manifest
from hbm.backups.manifest import FIELD_KEYS_MEMBER, SECRET_KEY_MEMBER, Manifest
from hbm.backups.postgresql import postgresql_counts, postgresql_restore, postgresql_tables
from hbm.backups.services.records import RESTORED, backup_on_record
from hbm.backups.sqlite import sqlite_counts, sqlite_restore, sqlite_tables
from hbm.lib.reencrypt import unopened_columns
from hbm.lib.rejected import Rejected
from hbm.registry.identity import snapshot_database_identity

NO_FILE = "{path}: no such file"
OTHER_VENDOR = (
    "{path}: a backup of a {found} database cannot be restored into this {vendor} database"
    " (DATABASE_URL decides which one HBM uses)"
)
NOT_EMPTY = (
    "the database {name} already holds {tables} tables: a restore replaces them; "
    "run again with --yes to go ahead"
)
COUNT_DIFFERS = "{table}: {found:,} rows restored, the manifest says {expected:,}"
TABLE_NOT_IN_BACKUP = "{table}: not in the backup (left from the database before the restore)"
TABLE_NOT_RESTORED = "{table}: in the backup but not in the restored database"
MEDIA_LEFT = "Media are not in this backup: the files in {root} were left as they were."
MOVED_ASIDE = "What was in {what} before the restore is kept in {path}."
KEY_LEFT = (
    "The keys are not in this backup: this machine's secret key stays (users sign in again; "
    "links signed with the old key no longer open), and so do its field keys."
)
KEY_RESTORED = "The secret key was restored: restart the server to use it."
FIELD_KEYS_RESTORED = (
    "The field keys were restored into {path}: restart the server to use them "
    "(HBM_FIELD_KEYS, if set, comes first)."
)
FIELD_KEYS_DO_NOT_OPEN = (
    "{column}: this site's field keys do not open its values; set HBM_FIELD_KEYS (or "
    "var/field_keys) to the keys of the backed-up site, else these details cannot be read."
)


class RestoreMismatch(Exception):
    """The database was restored but does not hold what the manifest says."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    row_counts: dict[str, int]
    notes: list[str]


def backup_restore(*, archive: Path, replace: bool) -> Restored:
    """Refused (Rejected, nothing touched) for a missing, foreign or damaged archive, one of
    the other database vendor, or a database that holds tables unless ``replace``."""
    if not archive.is_file():
        raise Rejected([NO_FILE.format(path=archive)])
    manifest = verified_manifest(archive)
    vendor = connection.vendor
    if manifest.vendor != vendor:
        raise Rejected([OTHER_VENDOR.format(path=archive, found=manifest.vendor, vendor=vendor)])
    existing = _tables(vendor)
    if existing and not replace:
        name = connection.settings_dict["NAME"]
        raise Rejected([NOT_EMPTY.format(name=name, tables=len(existing))])
    connections.close_all()
    with tempfile.TemporaryDirectory(dir=locations.var_dir(), prefix=".hbm-restore-") as scratch:
        staged = Path(scratch)
        extract(archive, manifest, staged)
        _restore_database(vendor, staged / manifest.database_member)
        notes = _restore_media(staged / "media", manifest)
        _restore_index(staged)
        notes += _restore_keys(staged, manifest)
    counts = _counts(vendor)
    _check_counts(manifest, counts)
    notes += _unopened_columns(manifest)
    backup_on_record(actor="hbm restore", action=RESTORED, archive=archive, manifest=manifest)
    return Restored(manifest=manifest, row_counts=counts, notes=notes)


def _tables(vendor: str) -> list[str]:
    return sqlite_tables(locations.sqlite_file()) if vendor == "sqlite" else postgresql_tables()


def _counts(vendor: str) -> dict[str, int]:
    return sqlite_counts(locations.sqlite_file()) if vendor == "sqlite" else postgresql_counts()


def _restore_database(vendor: str, staged: Path) -> None:
    if vendor == "sqlite":
        sqlite_restore(staged, locations.sqlite_file())
    else:
        postgresql_restore(staged)


def _restore_media(staged: Path, manifest: Manifest) -> list[str]:
    root = locations.media_root()
    if not manifest.includes_media:
        return [MEDIA_LEFT.format(root=root)]
    notes = []
    if root.is_dir() and any(root.iterdir()):
        kept = locations.aside(root)
        shutil.move(root, kept)
        notes.append(MOVED_ASIDE.format(what=root, path=kept))
    elif root.is_dir():
        root.rmdir()
    root.parent.mkdir(parents=True, exist_ok=True)
    if staged.is_dir():
        shutil.move(staged, root)
    else:
        root.mkdir()
    return notes


def _restore_index(staged: Path) -> None:
    """The snapshot of the restored database, or none: a snapshot left from before would be
    taken for the restored database's and hold persons it does not have."""
    files = locations.index_files()
    for path in reversed(files.values()):  # the metadata first: without it nothing loads
        path.unlink(missing_ok=True)
    snapshot_member, meta_member = files
    if not (staged / snapshot_member).is_file():
        return
    meta_file = staged / meta_member
    meta = json.loads(meta_file.read_text())
    meta["database"] = snapshot_database_identity()
    meta_file.write_text(json.dumps(meta))
    for member, path in files.items():  # the metadata last
        shutil.move(staged / member, path)


def _restore_keys(staged: Path, manifest: Manifest) -> list[str]:
    if not manifest.includes_keys:
        return [KEY_LEFT]
    notes = []
    restored = {SECRET_KEY_MEMBER: KEY_RESTORED, FIELD_KEYS_MEMBER: FIELD_KEYS_RESTORED}
    for member, path in locations.key_files().items():
        source = staged / member
        if not source.is_file():
            continue
        if path.is_file() and path.read_bytes() != source.read_bytes():
            kept = locations.aside(path)
            os.replace(path, kept)
            notes.append(MOVED_ASIDE.format(what=path, path=kept))
        source.chmod(0o600)
        shutil.move(source, path)
        notes.append(restored[member].format(path=path))
    return notes


def _unopened_columns(manifest: Manifest) -> list[str]:
    """Without the backup's keys, the encrypted columns this site's keys cannot read (keys
    restored from the archive are read by the next start, not this process)."""
    if manifest.includes_keys:
        return []
    return [FIELD_KEYS_DO_NOT_OPEN.format(column=column) for column in unopened_columns()]


def _check_counts(manifest: Manifest, counts: dict[str, int]) -> None:
    problems = []
    for table in sorted(manifest.row_counts.keys() | counts.keys()):
        expected, found = manifest.row_counts.get(table), counts.get(table)
        if expected is None:
            problems.append(TABLE_NOT_IN_BACKUP.format(table=table))
        elif found is None:
            problems.append(TABLE_NOT_RESTORED.format(table=table))
        elif found != expected:
            problems.append(COUNT_DIFFERS.format(table=table, found=found, expected=expected))
    if problems:
        raise RestoreMismatch(problems)
