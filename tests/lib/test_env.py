"""Settings read from the environment: a value that is set but cannot be read stops the start
with the variable's name, instead of silently meaning the default."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from hbm.lib.env import env_bool, env_float, env_int, env_line


@pytest.mark.parametrize("value", ["1", "true", "True", " YES ", "on", "On"])
def test_a_boolean_is_true_in_any_case_and_spacing(monkeypatch, value):
    monkeypatch.setenv("HBM_FLAG", value)
    assert env_bool("HBM_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", " no", "off", "Off "])
def test_a_boolean_is_false_in_any_case_and_spacing(monkeypatch, value):
    monkeypatch.setenv("HBM_FLAG", value)
    assert env_bool("HBM_FLAG", True) is False


def test_an_unset_or_empty_boolean_is_the_default(monkeypatch):
    monkeypatch.delenv("HBM_FLAG", raising=False)
    assert env_bool("HBM_FLAG", True) is True
    monkeypatch.setenv("HBM_FLAG", "")
    assert env_bool("HBM_FLAG", False) is False
    monkeypatch.setenv("HBM_FLAG", "  ")
    assert env_bool("HBM_FLAG", True) is True


@pytest.mark.parametrize("value", ["Ture", "y", "2", "enabled", "-"])
def test_a_mistyped_boolean_names_the_variable_and_the_accepted_values(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured) as caught:
        env_bool("DEBUG", False)
    message = str(caught.value)
    assert message.startswith(f"DEBUG={value!r} is not a boolean")
    assert "1/0, true/false, yes/no, on/off" in message


def test_a_boolean_read_from_a_file_is_checked_too(monkeypatch, tmp_path):
    secret = tmp_path / "flag"
    secret.write_text("nope\n", encoding="utf-8")
    monkeypatch.setenv("HBM_FLAG_FILE", str(secret))
    with pytest.raises(ImproperlyConfigured, match="HBM_FLAG='nope'"):
        env_bool("HBM_FLAG", False)


def test_numbers_are_read_or_refused_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("RUN_CHUNK_SIZE", "250")
    monkeypatch.setenv("HBM_REQUEST_TIME_LIMIT", "2.5")
    assert env_int("RUN_CHUNK_SIZE", 1000) == 250
    assert env_float("HBM_REQUEST_TIME_LIMIT", 5.0) == 2.5
    monkeypatch.setenv("RUN_CHUNK_SIZE", "1k")
    with pytest.raises(ImproperlyConfigured, match=r"^RUN_CHUNK_SIZE='1k' is not a whole number"):
        env_int("RUN_CHUNK_SIZE", 1000)
    monkeypatch.setenv("HBM_REQUEST_TIME_LIMIT", "5s")
    with pytest.raises(ImproperlyConfigured, match=r"^HBM_REQUEST_TIME_LIMIT='5s' is not a num"):
        env_float("HBM_REQUEST_TIME_LIMIT", 5.0)


def test_unset_numbers_are_the_default(monkeypatch):
    monkeypatch.delenv("RUN_CHUNK_SIZE", raising=False)
    monkeypatch.delenv("HBM_REQUEST_TIME_LIMIT", raising=False)
    assert env_int("RUN_CHUNK_SIZE", 1000) == 1000
    assert env_float("HBM_REQUEST_TIME_LIMIT", 5.0) == 5.0


def test_a_line_of_text_is_read_trimmed_and_empty_when_unset(monkeypatch):
    monkeypatch.delenv("HBM_REGISTRATION_LEGAL_BASIS", raising=False)
    assert env_line("HBM_REGISTRATION_LEGAL_BASIS", max_length=200) == ""
    monkeypatch.setenv("HBM_REGISTRATION_LEGAL_BASIS", "  Refugee Act 2006, s. 19 ")
    assert env_line("HBM_REGISTRATION_LEGAL_BASIS", max_length=200) == "Refugee Act 2006, s. 19"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Act 2006\ns. 19", "HBM_REGISTRATION_LEGAL_BASIS must be one line of printable text"),
        ("Act\u202e2006", "(found U+202E)"),
        ("x" * 201, "HBM_REGISTRATION_LEGAL_BASIS is 201 characters long; at most 200."),
    ],
)
def test_a_line_of_text_refuses_breaks_controls_and_excess(monkeypatch, value, message):
    monkeypatch.setenv("HBM_REGISTRATION_LEGAL_BASIS", value)
    with pytest.raises(ImproperlyConfigured) as caught:
        env_line("HBM_REGISTRATION_LEGAL_BASIS", max_length=200)
    assert message in str(caught.value)
