"""Backup and restore of this process's own database, as `hbm` runs them: a restore brings
the database back to the backup (later writes gone), with its media, index snapshot and key,
and the site serves the restored person."""

import json
import tarfile

from django.db import connection
from django.urls import reverse

from hbm.backups.services.restoration import KEY_RESTORED
from hbm.registry.identity import snapshot_database_identity
from hbm.registry.models import Person
from tests.backups.archives import run
from tests.registry.helpers import VARIANT, register


def test_a_restore_brings_back_the_backup_over_later_writes(
    transactional_db, officer_amina, var_dir, tmp_path, client
):
    [kept] = register(officer_amina, VARIANT)
    (var_dir / "secret_key").write_text("key of the backed-up site")
    (var_dir / "person-index.bin").write_bytes(b"snapshot")
    (var_dir / "person-index.json").write_text(
        json.dumps({"seen_until": None, "database": snapshot_database_identity()})
    )
    archive = tmp_path / "site.tar.gz"

    code, out, err = run("backup", "--include-keys", "--output", archive)

    assert code == 0, err
    assert out.startswith(f"Backup written to {archive} (")
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"media/own.txt", "keys/secret_key", "index/person-index.bin"} <= names
    [later] = register(officer_amina, {**VARIANT, "given_name": "Later"})
    (var_dir / "media" / "own.txt").write_text("changed")
    (var_dir / "secret_key").write_text("a new key")
    (var_dir / "person-index.json").unlink()

    code, _, err = run("restore", archive)
    assert code == 1 and "run again with --yes" in err

    code, out, err = run("restore", "--yes", "-v2", archive)

    assert code == 0, err
    assert "every count as in the manifest" in out
    assert "  registry_person: 1" in out.splitlines()
    assert not Person.objects.filter(pk=later.pk).exists()
    assert (var_dir / "media" / "own.txt").read_text() == "own"
    assert (var_dir / "secret_key").read_text() == "key of the backed-up site"
    assert KEY_RESTORED in err
    kept_aside = {
        p.name.split(".before-restore-")[0]: p for p in var_dir.glob("*.before-restore-*")
    }
    assert (kept_aside["media"] / "own.txt").read_text() == "changed"
    assert kept_aside["secret_key"].read_text() == "a new key"
    assert (var_dir / "person-index.bin").read_bytes() == b"snapshot"
    client.force_login(officer_amina)
    page = client.get(reverse("registry:person-detail", args=[kept.public_id]))
    assert page.status_code == 200 and kept.family_name in page.content.decode()


def test_a_snapshot_of_another_database_is_left_out_and_a_stale_one_removed(
    transactional_db, var_dir, tmp_path
):
    (var_dir / "person-index.bin").write_bytes(b"snapshot")
    meta = {"seen_until": None, "database": "sqlite:/elsewhere/hbm.sqlite3"}
    (var_dir / "person-index.json").write_text(json.dumps(meta))
    archive = tmp_path / "site.tar.gz"

    code, _, err = run("backup", "--output", archive)

    assert code == 0
    assert "follows another database: left out" in err
    code, _, err = run("restore", "--yes", archive)
    assert code == 0, err
    assert not (var_dir / "person-index.bin").exists()
    assert not (var_dir / "person-index.json").exists()


def test_a_backup_is_on_the_audit_record(transactional_db, var_dir, tmp_path):
    from hbm.audit.models import AuditEvent

    code, _, _ = run("backup", "--output", tmp_path / "site.tar.gz")

    assert code == 0
    event = AuditEvent.objects.get(object_type="backup")
    assert (event.actor_label, event.action, event.object_id) == (
        "hbm backup",
        "export",
        "site.tar.gz",
    )
    assert connection.vendor in {"sqlite", "postgresql"}
