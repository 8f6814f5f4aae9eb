"""Where the files a backup holds live on this machine, and how they are named inside it."""

import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.utils import timezone

from hbm.backups.manifest import FIELD_KEYS_MEMBER, INDEX_MEMBERS, SECRET_KEY_MEMBER
from hbm.lib.env import FIELD_KEYS_FILE
from hbm.lib.rejected import Rejected
from hbm.registry.identity import SNAPSHOT_NAME

MEDIA_NOT_ON_DISK = (
    "media: the default storage is not a folder on this machine; back it up with its own "
    "tools and run again with --no-media"
)


def var_dir() -> Path:
    return Path(settings.VAR_DIR)


def media_root() -> Path:
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise Rejected([MEDIA_NOT_ON_DISK])
    return Path(storage.location)


def sqlite_file() -> Path:
    return Path(connection.settings_dict["NAME"])


def secret_key_file() -> Path:
    return var_dir() / "secret_key"


def index_files() -> dict[str, Path]:
    """Archive member → file under var/ (the snapshot, then its metadata)."""
    snapshot = var_dir() / SNAPSHOT_NAME
    return dict(zip(INDEX_MEMBERS, (snapshot, snapshot.with_suffix(".json")), strict=True))


def field_keys_file() -> Path:
    return var_dir() / FIELD_KEYS_FILE


def key_files() -> dict[str, Path]:
    """Archive member → key file under var/ (one that does not exist is left out)."""
    return {SECRET_KEY_MEMBER: secret_key_file(), FIELD_KEYS_MEMBER: field_keys_file()}


def default_output() -> Path:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return var_dir() / "backups" / f"hbm-backup-{stamp}.tar.gz"


def aside(path: Path) -> Path:
    """Where a file or folder replaced by a restore is kept."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.name}.before-restore-{stamp}")


def hbm_version() -> str:
    try:
        return version("hbm")
    except PackageNotFoundError:
        return "unknown"


def hbm_commit() -> str | None:
    """The source's commit when HBM runs from a git checkout; None otherwise."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None
