"""Backup → restore into a fresh site, as an operator runs it: the same rows in every table,
the media and index snapshot back in place, and a server that signs a user in and shows a
restored person."""

import json
import tarfile

from django.db import connection

from hbm.backups.manifest import DATABASE_MEMBERS, SECRET_KEY_MEMBER
from tests.backups.conftest import PHOTO
from tests.backups.sites import SessionWriter

BACKUP_EVENT = "audit_auditevent"  # each backup and each restore puts itself on record


def manifest_of(archive):
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def plus_one_event(counts):
    return {**counts, BACKUP_EVENT: counts[BACKUP_EVENT] + 1}


def test_a_restored_site_has_every_row_its_media_and_index_and_serves(source, target):
    manifest = manifest_of(source.archive)
    assert manifest["vendor"] == connection.vendor
    assert manifest["row_counts"] == source.counts_at_backup
    assert manifest["row_counts"]["registry_person"] > 400
    assert source.counts_after_backup == plus_one_event(source.counts_at_backup)

    done = target.hbm("restore", str(source.archive))

    assert done.returncode == 0, done.stderr
    assert "every count as in the manifest" in done.stdout
    assert target.counts() == plus_one_event(manifest["row_counts"])
    restored_photo = target.var_dir / "media" / PHOTO
    assert restored_photo.read_bytes() == (source.site.var_dir / "media" / PHOTO).read_bytes()
    snapshot = target.var_dir / "person-index.bin"
    assert snapshot.read_bytes() == (source.site.var_dir / "person-index.bin").read_bytes()
    meta = json.loads(snapshot.with_suffix(".json").read_text())
    assert (
        meta["database"]
        != json.loads((source.site.var_dir / "person-index.json").read_text())["database"]
    ), "the snapshot now follows the restored database"
    # The keys were kept apart from the archive (no --include-keys), as the procedure says.
    keys = (source.site.var_dir / "field_keys").read_text().strip().replace("\n", ",")
    assert target.serves_a_person(field_keys=keys) == "302 302 200 True"


def test_the_restored_index_snapshot_is_the_one_the_site_loads(source, target):
    assert target.hbm("restore", str(source.archive)).returncode == 0
    persons = source.counts_at_backup["registry_person"]
    assert (
        target.hbm("person_index", "status").stdout.strip() == f"{persons:,} persons in the index"
    )


def test_keys_stay_out_of_a_backup_unless_asked(source, target, tmp_path):
    with tarfile.open(source.archive) as tar:
        names = tar.getnames()
    assert not [name for name in names if name.startswith("keys/")]
    assert manifest_of(source.archive)["includes_keys"] is False

    with_keys = tmp_path / "with-keys.tar.gz"
    done = source.site.hbm("backup", "--include-keys", "--output", str(with_keys))

    assert done.returncode == 0, done.stderr
    assert "keep it as you keep the key itself" in done.stderr
    manifest = manifest_of(with_keys)
    assert manifest["includes_keys"] is True and "warning" in manifest
    assert SECRET_KEY_MEMBER in manifest["members"]
    assert target.hbm("restore", str(with_keys)).returncode == 0
    key = target.var_dir / "secret_key"
    assert key.read_bytes() == (source.site.var_dir / "secret_key").read_bytes()
    assert key.stat().st_mode & 0o777 == 0o600


def test_without_keys_the_restored_site_keeps_its_own_key(source, target):
    assert target.hbm("restore", str(source.archive)).returncode == 0
    key = (target.var_dir / "secret_key").read_bytes()
    assert key and key != (source.site.var_dir / "secret_key").read_bytes()


def test_no_media_leaves_the_files_out_and_a_restore_leaves_the_sites_own(source, target, tmp_path):
    archive = tmp_path / "no-media.tar.gz"
    assert source.site.hbm("backup", "--no-media", "--output", str(archive)).returncode == 0
    manifest = manifest_of(archive)
    assert manifest["includes_media"] is False
    assert not [name for name in manifest["members"] if name.startswith("media/")]
    own = target.var_dir / "media" / "own.txt"
    own.parent.mkdir(parents=True)
    own.write_text("kept")

    done = target.hbm("restore", str(archive))

    assert done.returncode == 0, done.stderr
    assert "Media are not in this backup" in done.stderr
    assert own.read_text() == "kept"


def test_a_database_that_holds_tables_is_replaced_only_with_yes(source, target):
    assert target.hbm("restore", str(source.archive)).returncode == 0
    photo = target.var_dir / "media" / PHOTO
    photo.write_bytes(b"changed after the restore")
    before = target.counts()

    refused = target.hbm("restore", str(source.archive))

    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"the database {target_name(target)} already holds {len(before)} tables: a restore "
        "replaces them; run again with --yes to go ahead",
        "Nothing was restored.",
    ]
    assert target.counts() == before
    assert photo.read_bytes() == b"changed after the restore"

    done = target.hbm("restore", "--yes", str(source.archive))

    assert done.returncode == 0, done.stderr
    assert target.counts() == plus_one_event(source.counts_at_backup)
    kept = [p for p in target.var_dir.iterdir() if p.name.startswith("media.before-restore-")]
    assert [(p / PHOTO).read_bytes() for p in kept] == [b"changed after the restore"]
    assert photo.read_bytes() == (source.site.var_dir / "media" / PHOTO).read_bytes()


def test_the_database_member_is_the_vendors(source):
    members = manifest_of(source.archive)["members"]
    assert DATABASE_MEMBERS[connection.vendor] in members


def target_name(site):
    if site.database_url is None:
        return site.var_dir / "hbm.sqlite3"
    return site.database_url.rsplit("/", 1)[1]


def test_a_backup_taken_while_the_site_writes_restores_what_it_read(source, target, tmp_path):
    before = source.site.counts()["django_session"]
    writer = SessionWriter(source.site)
    writer.start()
    archive = tmp_path / "busy.tar.gz"
    try:
        done = source.site.hbm("backup", "--output", str(archive))
    finally:
        writer.stop.set()
        writer.join()

    assert done.returncode == 0, done.stderr
    sessions = manifest_of(archive)["row_counts"]["django_session"]
    assert before < sessions < before + writer.written, "the snapshot was taken mid-load"
    assert target.hbm("restore", str(archive)).returncode == 0
    assert target.counts()["django_session"] == sessions


def test_a_table_left_from_before_is_named_after_a_restore(source, target):
    assert target.hbm("restore", str(source.archive)).returncode == 0
    target.execute("CREATE TABLE left_over (id integer)")

    done = target.hbm("restore", "--yes", str(source.archive))

    if connection.vendor == "sqlite":  # the whole file is replaced: nothing is left over
        assert done.returncode == 0, done.stderr
        assert "left_over" not in target.counts()
    else:  # pg_restore --clean drops what the dump holds, and only that
        assert done.returncode == 1
        assert done.stderr.splitlines()[-2:] == [
            "left_over: not in the backup (left from the database before the restore)",
            "The database was restored but does not match the backup's manifest.",
        ]
