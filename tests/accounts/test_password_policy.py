"""The password policy: at least HBM_PASSWORD_MIN_LENGTH (12) characters, not like the
username, not a common password, not all digits; every path that sets a password applies it."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from hbm import settings as production
from tests.conftest import PASSWORD


def test_production_asks_for_twelve_characters_and_the_django_checks():
    names = [v["NAME"].rsplit(".", 1)[1] for v in production.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert production.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 12}


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pw-11", "at least 12 characters"),
        ("123456789012345", "entirely numeric"),
        ("password1234", "too common"),
        ("amina.lokeli@exam", "too similar"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(officer_amina, password, reason):
    officer_amina.email = "amina.lokeli@example.org"
    with pytest.raises(ValidationError) as refused:
        validate_password(password, officer_amina)
    assert any(reason in message for message in refused.value.messages)


def test_a_good_password_passes(officer_amina):
    validate_password(PASSWORD, officer_amina)


def test_the_administration_refuses_a_weak_password(client, admin_samuel, officer_amina):
    client.force_login(admin_samuel)
    admin_samuel.is_superuser = True
    admin_samuel.save()
    url = f"/admin/accounts/user/{officer_amina.pk}/password/"
    response = client.post(
        url, {"password1": "short-pw-11", "password2": "short-pw-11", "usable_password": "true"}
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    officer_amina.refresh_from_db()
    assert officer_amina.check_password(PASSWORD)


def test_the_command_line_refuses_a_weak_password(officer_amina, monkeypatch, capsys):
    """`hbm changepassword` asks three times, says why, then gives up."""
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "short-pw-11")
    with pytest.raises(CommandError, match="after 3 attempts"):
        call_command("changepassword", "amina")
    assert "at least 12 characters" in capsys.readouterr().err
    officer_amina.refresh_from_db()
    assert officer_amina.check_password(PASSWORD)
