"""A restore that is refused touches nothing: a missing, foreign, damaged or altered archive,
one of the other database vendor, names that would write outside var/. One line per problem,
then exit 1."""

import io
import tarfile

import pytest
from django.db import connection

from hbm.backups.archive import CHANGED, MISSING, NO_MANIFEST, NOT_AN_ARCHIVE, UNLISTED
from hbm.backups.manifest import DATABASE_MEMBERS, NOT_HBM, UNSAFE_NAME
from hbm.backups.services.restoration import OTHER_VENDOR
from hbm.backups.tables import row_counts
from tests.backups.archives import read_members, run, write_archive

NOTHING = "Nothing was restored."


def counts():
    with connection.cursor() as cursor:
        return row_counts(cursor, connection.vendor)


def refused(archive, var_dir):
    """Restore with --yes; assert nothing changed; the problem lines."""
    before, files_before = counts(), sorted(var_dir.rglob("*"))
    code, out, err = run("restore", archive, "--yes")
    assert (code, out) == (1, "")
    assert counts() == before
    assert sorted(var_dir.rglob("*")) == files_before
    assert (var_dir / "media" / "own.txt").read_text() == "own"
    lines = err.splitlines()
    assert lines[-1] == NOTHING
    return lines[:-1]


def test_a_missing_file(db, var_dir, tmp_path):
    assert refused(tmp_path / "nope.tar.gz", var_dir) == [
        f"{tmp_path / 'nope.tar.gz'}: no such file"
    ]


def test_a_file_that_is_no_archive(db, var_dir, tmp_path):
    text = tmp_path / "notes.tar.gz"
    text.write_text("not an archive")
    [line] = refused(text, var_dir)
    assert line.startswith(NOT_AN_ARCHIVE.format(path=text, error="")[:-1])


def test_an_archive_without_a_manifest(db, var_dir, tmp_path):
    archive = write_archive(tmp_path / "other.tar.gz", {"readme.txt": b"hello"}, None)
    assert refused(archive, var_dir) == [NO_MANIFEST.format(path=archive)]


def test_another_programs_manifest(db, var_dir, tmp_path):
    archive = write_archive(tmp_path / "other.tar.gz", {}, {"format": "wordpress"})
    assert refused(archive, var_dir) == [NOT_HBM.format(found="wordpress", FORMAT="hbm-backup")]


def test_a_damaged_archive(db, var_dir, source, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    data = bytearray(source.archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
    damaged.write_bytes(bytes(data))
    [line] = refused(damaged, var_dir)
    assert line.startswith(f"{damaged}: the archive is damaged (")


def test_an_altered_member_is_named(db, var_dir, source, tmp_path):
    files, manifest = read_members(source.archive)
    database = DATABASE_MEMBERS[connection.vendor]
    files[database] = files[database][:-1] + bytes([files[database][-1] ^ 1])
    files["media/extra.jpg"] = b"planted"
    del files["index/person-index.bin"]
    archive = write_archive(tmp_path / "altered.tar.gz", files, manifest)
    assert refused(archive, var_dir) == [
        UNLISTED.format(name="media/extra.jpg"),
        CHANGED.format(name=database),
        MISSING.format(name="index/person-index.bin"),
    ]


@pytest.mark.parametrize(
    "name", ["media/../../outside", "/etc/cron.d/job", "media/./x", "keys", "other/file"]
)
def test_a_name_that_would_write_outside_var(db, var_dir, source, tmp_path, name):
    files, manifest = read_members(source.archive)
    files[name] = b"x"
    manifest["members"][name] = {"sha256": "0" * 64, "size": 1}
    archive = write_archive(tmp_path / "escape.tar.gz", files, manifest)
    assert refused(archive, var_dir) == [UNSAFE_NAME.format(name=name)]
    assert not (tmp_path / "outside").exists()


def test_a_backup_of_the_other_vendor(db, var_dir, source, tmp_path):
    files, manifest = read_members(source.archive)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    database = DATABASE_MEMBERS[connection.vendor]
    files[DATABASE_MEMBERS[other]] = files.pop(database)
    manifest["members"][DATABASE_MEMBERS[other]] = manifest["members"].pop(database)
    manifest["vendor"] = other
    archive = write_archive(tmp_path / "other-vendor.tar.gz", files, manifest)
    assert refused(archive, var_dir) == [
        OTHER_VENDOR.format(path=archive, found=other, vendor=connection.vendor)
    ]


def test_a_manifest_of_the_wrong_shape_lists_each_field(db, var_dir, source, tmp_path):
    files, manifest = read_members(source.archive)
    manifest |= {"includes_keys": "no", "row_counts": {"accounts_user": "nine"}}
    manifest["format_version"] = 99
    archive = write_archive(tmp_path / "newer.tar.gz", files, manifest)
    [line] = refused(archive, var_dir)
    assert "format version 99 is newer than this HBM reads" in line
    manifest["format_version"] = 1
    archive = write_archive(tmp_path / "shape.tar.gz", files, manifest)
    assert refused(archive, var_dir) == [
        "manifest.json: includes_keys is missing or not true or false",
        "manifest.json: row_counts is missing or not whole numbers",
    ]


def test_a_manifest_that_is_not_json(db, var_dir, tmp_path):
    archive = tmp_path / "broken.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"{oops"))
    [line] = refused(archive, var_dir)
    assert line.startswith("manifest.json: not valid JSON")


def test_a_backup_to_an_existing_file_is_refused(db, var_dir, tmp_path):
    existing = tmp_path / "there.tar.gz"
    existing.write_text("keep")
    code, _, err = run("backup", "--output", existing)
    assert code == 1
    assert err.splitlines() == [
        f"--output {existing}: the file exists already; give a new name",
        "No backup was written.",
    ]
    assert existing.read_text() == "keep"
