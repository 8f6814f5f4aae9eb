"""The archive itself: a tar.gz whose members are written and read a buffer at a time, each
hashed on the way, with ``manifest.json`` last (its checksums are known only then)."""

import hashlib
import os
import tarfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import IO

from hbm.backups.manifest import MAX_BYTES, NAME, Manifest, Member, is_safe_name
from hbm.lib.rejected import Rejected

BUFFER = 1024 * 1024

NOT_AN_ARCHIVE = "{path}: not an HBM backup (not a readable tar.gz archive: {error})"
DAMAGED = "{path}: the archive is damaged ({error})"
NO_MANIFEST = "{path}: no manifest.json, so not an HBM backup"
NOT_A_FILE = "{name}: not a regular file (an HBM backup holds files only)"
TWICE = "{name}: in the archive twice"
UNLISTED = "{name}: in the archive but not in the manifest"
MISSING = "{name}: in the manifest but missing from the archive"
CHANGED = "{name}: its checksum does not match the manifest (the archive was damaged or altered)"


class _Hashing:
    """A reader that hashes what passes through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.raw.read(n)
        self.sha256.update(chunk)
        self.size += len(chunk)
        return chunk


class ArchiveWriter:
    """Members added one by one; ``manifest.json`` written by :meth:`close`."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.members: dict[str, Member] = {}

    def add_file(self, path: Path, name: str) -> None:
        with path.open("rb") as source:
            info = self._info(name, os.fstat(source.fileno()).st_size)
            hashing = _Hashing(source)
            self.tar.addfile(info, hashing)
        self.members[name] = Member(sha256=hashing.sha256.hexdigest(), size=info.size)

    def add_tree(self, root: Path, folder: str) -> None:
        """Every file under ``root``, named ``folder/<path under root>`` (links are not
        followed: what they point to is not the site's)."""
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file() and not path.is_symlink():
                self.add_file(path, f"{folder}/{path.relative_to(root).as_posix()}")

    def write_manifest(self, manifest: Manifest) -> None:
        raw = manifest.to_json()
        self.tar.addfile(self._info(NAME, len(raw)), BytesIO(raw))

    @staticmethod
    def _info(name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(time.time())
        return info


@contextmanager
def archive_writer(output: Path) -> Iterator[ArchiveWriter]:
    """Written to ``<output>.partial`` (readable by its owner only) and renamed when complete:
    a backup that stopped half way never looks like a backup."""
    partial = output.with_name(output.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            yield ArchiveWriter(tar)
            tar.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


def verified_manifest(path: Path) -> Manifest:
    """The manifest of a complete, undamaged HBM backup; else Rejected with one line per
    problem. Reads the whole archive once, a buffer at a time."""
    try:
        tar = tarfile.open(path, mode="r:gz")  # noqa: SIM115 - closed by the 'with' below
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise Rejected([NOT_AN_ARCHIVE.format(path=path, error=error)]) from None
    try:
        with tar:
            hashes, raw_manifest, problems = _read_members(tar)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise Rejected([DAMAGED.format(path=path, error=error)]) from None
    if raw_manifest is None:
        raise Rejected([*problems, NO_MANIFEST.format(path=path)])
    manifest = Manifest.from_json(raw_manifest)
    for name in sorted(hashes.keys() - manifest.members.keys()):
        problems.append(UNLISTED.format(name=name))
    for name, member in sorted(manifest.members.items()):
        if name not in hashes:
            problems.append(MISSING.format(name=name))
        elif hashes[name] != member:
            problems.append(CHANGED.format(name=name))
    if problems:
        raise Rejected(problems)
    return manifest


def _read_members(tar: tarfile.TarFile) -> tuple[dict[str, Member], bytes | None, list[str]]:
    hashes: dict[str, Member] = {}
    raw_manifest: bytes | None = None
    problems: list[str] = []
    for info in tar:
        if info.name in hashes or (info.name == NAME and raw_manifest is not None):
            problems.append(TWICE.format(name=info.name))
        elif not info.isfile():
            problems.append(NOT_A_FILE.format(name=info.name))
        elif info.name == NAME:
            raw_manifest = _read_manifest(tar, info)
        else:
            hashes[info.name] = _hash(tar, info)
    # tarfile takes a damaged header for the end of the archive: reading the compressed
    # stream to its end checks gzip's CRC, which a damaged stream fails.
    assert tar.fileobj is not None
    while tar.fileobj.read(BUFFER):
        pass
    return hashes, raw_manifest, problems


def _read_manifest(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    if info.size > MAX_BYTES:
        raise Rejected([f"{NAME}: {info.size:,} bytes, too large for a manifest"])
    source = tar.extractfile(info)
    assert source is not None  # a regular file
    return source.read()


def _hash(tar: tarfile.TarFile, info: tarfile.TarInfo) -> Member:
    source = tar.extractfile(info)
    assert source is not None  # a regular file
    hashing = _Hashing(source)
    while hashing.read(BUFFER):
        pass
    return Member(sha256=hashing.sha256.hexdigest(), size=hashing.size)


def extract(path: Path, manifest: Manifest, into: Path) -> None:
    """Every member of a verified archive written under ``into`` (checked again on the way:
    the file could have changed since it was verified)."""
    with tarfile.open(path, mode="r:gz") as tar:
        for info in tar:
            if info.name == NAME:
                continue
            if not (is_safe_name(info.name) and info.name in manifest.members):
                raise Rejected([UNLISTED.format(name=info.name)])
            target = into / info.name
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(info)
            assert source is not None
            hashing = _Hashing(source)
            with open(target, "wb") as out:
                while chunk := hashing.read(BUFFER):
                    out.write(chunk)
            found = Member(sha256=hashing.sha256.hexdigest(), size=hashing.size)
            if found != manifest.members[info.name]:
                raise Rejected([CHANGED.format(name=info.name)])
