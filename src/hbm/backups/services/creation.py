"""``hbm backup``: one archive of the database, media, the index snapshot and (when asked)
the keys. The server may keep writing meanwhile: the database is read as one snapshot."""

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from hbm.backups import locations
from hbm.backups.archive import ArchiveWriter, archive_writer
from hbm.backups.manifest import DATABASE_MEMBERS, Manifest
from hbm.backups.postgresql import postgresql_snapshot
from hbm.backups.services.records import EXPORTED, backup_on_record
from hbm.backups.sqlite import sqlite_snapshot
from hbm.lib.env import env_str
from hbm.lib.rejected import Rejected
from hbm.registry.identity import snapshot_database_identity

OUTPUT_EXISTS = "--output {path}: the file exists already; give a new name"
NO_FOLDER = "--output {path}: the folder {folder} does not exist"
KEYS_WARNING = (
    "The archive holds the secret key and the field keys: keep it as you keep the key itself, "
    "apart from ordinary backups."
)
KEY_FROM_ENVIRONMENT = (
    "SECRET_KEY comes from the environment, so it is not in the archive: keep it with your secrets."
)
FIELD_KEYS_FROM_ENVIRONMENT = (
    "HBM_FIELD_KEYS comes from the environment, so it is not in the archive: keep it with your "
    "secrets; without it the encrypted details in this backup cannot be read."
)
FIELD_KEYS_LEFT_OUT = (
    "The field keys ({source}) are not in the archive: keep a copy apart from the backups; "
    "without them the encrypted details in this backup cannot be read."
)
INDEX_OF_ANOTHER_DATABASE = (
    "The index snapshot in var/ follows another database: left out (a restore rebuilds it)."
)


@dataclass(frozen=True)
class BackupWritten:
    path: Path
    manifest: Manifest
    notes: list[str]


def backup_create(*, output: Path | None, include_keys: bool, include_media: bool) -> BackupWritten:
    """Write the archive (Rejected, with nothing written, if it cannot be), and put the backup
    on record: it is an export of every person."""
    path = _checked_output(output)
    notes: list[str] = []
    with (
        tempfile.TemporaryDirectory(dir=path.parent, prefix=".hbm-backup-") as scratch,
        archive_writer(path) as writer,
    ):
        # The snapshot first: it is then never newer than the database, and the index
        # catches up on whatever the database has beyond it.
        notes += _add_index(writer)
        counts = _add_database(writer, Path(scratch))
        if include_media:
            writer.add_tree(locations.media_root(), "media")
        if include_keys:
            notes += _add_keys(writer)
        elif settings.FIELD_KEYS_SOURCE != "HBM_FIELD_KEYS":
            notes.append(FIELD_KEYS_LEFT_OUT.format(source=settings.FIELD_KEYS_SOURCE))
        manifest = Manifest(
            created_at=timezone.now().isoformat(),
            hbm_version=locations.hbm_version(),
            hbm_commit=locations.hbm_commit(),
            vendor=connection.vendor,
            row_counts=counts,
            includes_media=include_media,
            includes_keys=include_keys,
            members=dict(writer.members),
        )
        writer.write_manifest(manifest)
    backup_on_record(actor="hbm backup", action=EXPORTED, archive=path, manifest=manifest)
    return BackupWritten(path=path, manifest=manifest, notes=notes)


def _checked_output(output: Path | None) -> Path:
    if output is None:
        path = locations.default_output()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path
    path = output.absolute()
    if path.exists():
        raise Rejected([OUTPUT_EXISTS.format(path=output)])
    if not path.parent.is_dir():
        raise Rejected([NO_FOLDER.format(path=output, folder=path.parent)])
    return path


def _add_database(writer: ArchiveWriter, scratch: Path) -> dict[str, int]:
    member = DATABASE_MEMBERS[connection.vendor]
    copy = scratch / Path(member).name
    if connection.vendor == "sqlite":
        counts = sqlite_snapshot(locations.sqlite_file(), copy)
    else:
        counts = postgresql_snapshot(copy)
    writer.add_file(copy, member)
    copy.unlink()
    return counts


def _add_index(writer: ArchiveWriter) -> list[str]:
    files = locations.index_files()
    snapshot, meta = files.values()
    if not (snapshot.is_file() and meta.is_file()):
        return []
    if json.loads(meta.read_text()).get("database") != snapshot_database_identity():
        return [INDEX_OF_ANOTHER_DATABASE]
    for member, path in files.items():
        writer.add_file(path, member)
    return []


def _add_keys(writer: ArchiveWriter) -> list[str]:
    notes = [KEYS_WARNING]
    if env_str("SECRET_KEY"):
        notes.append(KEY_FROM_ENVIRONMENT)
    if settings.FIELD_KEYS_SOURCE == "HBM_FIELD_KEYS":
        notes.append(FIELD_KEYS_FROM_ENVIRONMENT)
    for member, path in locations.key_files().items():
        if path.is_file():
            writer.add_file(path, member)
    return notes
