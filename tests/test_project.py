"""The project as a newcomer meets it: settings from the environment, migrations in step."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command


def settings_in_subprocess(tmp_path, env, expression):
    ours = {"DATABASE_URL", "DATABASE_PREPARED_STATEMENTS", "DEBUG", "SECRET_KEY"}
    environment = {k: v for k, v in os.environ.items() if k not in ours}
    environment.update(env, HBM_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="hbm.settings")
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(repr(({expression})))"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_a_bare_machine_gets_sqlite_wal_a_generated_secret_and_no_debug(tmp_path):
    out = settings_in_subprocess(
        tmp_path,
        {},
        "settings.DATABASES['default']['ENGINE'], settings.DEBUG, len(settings.SECRET_KEY)",
    )
    assert out == "('django.db.backends.sqlite3', False, 67)"
    key_file = tmp_path / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    again = settings_in_subprocess(tmp_path, {}, "settings.SECRET_KEY").strip("'")
    assert again == key_file.read_text(), "the generated key is kept, not regenerated"


def test_database_url_and_secret_come_from_the_environment(tmp_path):
    out = settings_in_subprocess(
        tmp_path,
        {"DATABASE_URL": "postgres://hbm@db:5432/hbm", "SECRET_KEY": "s3cret", "DEBUG": "1"},
        "settings.DATABASES['default']['ENGINE'], settings.SECRET_KEY, settings.DEBUG",
    )
    assert out == "('hbm.lib.postgresql', 's3cret', True)"
    assert not (tmp_path / "secret_key").exists()


def test_postgresql_prepares_statements_unless_a_pooler_needs_it_off(tmp_path):
    postgres = {"DATABASE_URL": "postgres://hbm@db:5432/hbm"}
    options = "settings.DATABASES['default'].get('OPTIONS', {})"
    on = settings_in_subprocess(tmp_path, postgres, options)
    assert on == "{'server_side_binding': True, 'prepare_threshold': 5}"
    off = {**postgres, "DATABASE_PREPARED_STATEMENTS": "off"}
    assert settings_in_subprocess(tmp_path, off, options) == "{}"


def test_a_mistyped_setting_stops_the_start_naming_the_variable(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as caught:
        settings_in_subprocess(tmp_path, {"DEBUG": "Ture"}, "settings.DEBUG")
    assert "ImproperlyConfigured: DEBUG='Ture' is not a boolean" in caught.value.stderr


@pytest.mark.django_db
def test_models_and_migrations_are_in_step():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
