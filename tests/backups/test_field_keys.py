"""The field keys in var/ go into a backup only with --include-keys, and come back with it;
without them the backup says so, and a restore names the encrypted columns this site's keys
cannot read."""

import tarfile

from hbm.backups.manifest import FIELD_KEYS_MEMBER
from hbm.backups.services.creation import FIELD_KEYS_LEFT_OUT
from hbm.backups.services.restoration import FIELD_KEYS_DO_NOT_OPEN, FIELD_KEYS_RESTORED
from hbm.security.models import Hit
from tests.backups.archives import run
from tests.keys.helpers import OLD_KEY, OTHER_KEY, REASON, decided_hit, registered_person


def test_the_field_keys_file_goes_in_and_comes_back_with_include_keys(
    transactional_db, var_dir, tmp_path
):
    old_key = OLD_KEY
    keys = var_dir / "field_keys"
    keys.write_text(f"{old_key}\n")
    archive = tmp_path / "site.tar.gz"

    code, _, err = run("backup", "--include-keys", "--output", archive)

    assert code == 0, err
    with tarfile.open(archive) as tar:
        assert tar.extractfile(FIELD_KEYS_MEMBER).read() == f"{old_key}\n".encode()
    keys.write_text(f"{OTHER_KEY}\n")

    code, _, err = run("restore", "--yes", archive)

    assert code == 0, err
    assert keys.read_text() == f"{old_key}\n"
    assert keys.stat().st_mode & 0o777 == 0o600
    assert FIELD_KEYS_RESTORED.format(path=keys) in err
    assert [p.read_text() for p in var_dir.glob("field_keys.before-restore-*")] == [
        f"{OTHER_KEY}\n"
    ]


def test_without_the_keys_the_backup_warns_and_the_restore_names_what_it_cannot_read(
    transactional_db, var_dir, tmp_path, settings, officer_amina, security_joseph
):
    settings.FIELD_KEYS = [OLD_KEY]
    hit = decided_hit(registered_person(officer_amina), security_joseph)
    archive = tmp_path / "site.tar.gz"

    code, _, err = run("backup", "--output", archive)

    assert code == 0, err
    assert FIELD_KEYS_LEFT_OUT.format(source=settings.FIELD_KEYS_SOURCE) in err
    with tarfile.open(archive) as tar:
        assert not [name for name in tar.getnames() if name.startswith("keys/")]
    settings.FIELD_KEYS = [OTHER_KEY]

    code, _, err = run("restore", "--yes", archive)

    assert code == 0, err
    assert FIELD_KEYS_DO_NOT_OPEN.format(column="security_hit.explanation") in err
    assert FIELD_KEYS_DO_NOT_OPEN.format(column="security_hit.reason") in err
    assert "referrals_referral" not in err  # nothing encrypted there: nothing to say
    settings.FIELD_KEYS = [OLD_KEY]
    assert Hit.objects.get(pk=hit.pk).reason == REASON
