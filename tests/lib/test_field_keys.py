"""The field keys come from HBM_FIELD_KEYS, else from a file generated once into var/; in
production (HBM_SECURE on) their absence stops the start, and a key that is not a key is
named by its position, never shown."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from hbm.keys.checks import KEYS_BESIDE_DATA, keys_from_environment
from hbm.lib.env import FIELD_KEYS_NEEDED, field_keys_from


def test_without_the_variable_one_key_is_generated_once_into_var(monkeypatch, tmp_path):
    monkeypatch.delenv("HBM_FIELD_KEYS", raising=False)
    keys, source = field_keys_from(tmp_path / "var", required=False)
    key_file = tmp_path / "var" / "field_keys"
    assert source == str(key_file) and len(keys) == 1
    Fernet(keys[0])
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert field_keys_from(tmp_path / "var", required=False) == (keys, source)


def test_the_file_lists_the_encrypting_key_first_and_older_ones_after(monkeypatch, tmp_path):
    monkeypatch.delenv("HBM_FIELD_KEYS", raising=False)
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    (tmp_path / "field_keys").write_text(f"# rotated 2026-12-06\n{new}\n\n{old}\n")
    assert field_keys_from(tmp_path, required=False)[0] == [new, old]


def test_the_variable_wins_over_the_file_comma_separated(monkeypatch, tmp_path):
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("HBM_FIELD_KEYS", f"{new}, {old}")
    assert field_keys_from(tmp_path, required=True) == ([new, old], "HBM_FIELD_KEYS")
    assert not (tmp_path / "field_keys").exists()


def test_production_without_keys_does_not_start(monkeypatch, tmp_path):
    monkeypatch.delenv("HBM_FIELD_KEYS", raising=False)
    with pytest.raises(ImproperlyConfigured) as caught:
        field_keys_from(tmp_path, required=True)
    assert str(caught.value) == FIELD_KEYS_NEEDED
    assert not (tmp_path / "field_keys").exists()


@pytest.mark.parametrize(
    "bad", ["not-a-key", Fernet.generate_key().decode()[:-2]], ids=["not-base64", "cut-short"]
)
def test_a_key_that_is_not_a_key_is_named_by_position_not_shown(monkeypatch, tmp_path, bad):
    good = Fernet.generate_key().decode()
    monkeypatch.setenv("HBM_FIELD_KEYS", f"{good},{bad}")
    with pytest.raises(ImproperlyConfigured) as caught:
        field_keys_from(tmp_path, required=False)
    assert str(caught.value).startswith("HBM_FIELD_KEYS: key 2 of 2 is not a Fernet key")
    assert bad not in str(caught.value) and good not in str(caught.value)


def test_an_empty_key_file_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv("HBM_FIELD_KEYS", raising=False)
    (tmp_path / "field_keys").write_text("# nothing yet\n")
    with pytest.raises(ImproperlyConfigured, match="lists no key"):
        field_keys_from(tmp_path, required=False)


def test_the_deploy_check_warns_of_keys_kept_beside_the_data(settings):
    settings.FIELD_KEYS_SOURCE = "/srv/hbm/var/field_keys"
    assert keys_from_environment(None) == [KEYS_BESIDE_DATA]
    settings.FIELD_KEYS_SOURCE = "HBM_FIELD_KEYS"
    assert keys_from_environment(None) == []
