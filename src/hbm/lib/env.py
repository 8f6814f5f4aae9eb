"""Read settings from the environment, with a zero-config default for each.

A value that is set but cannot be read (``DEBUG=Ture``, ``HBM_HSTS_SECONDS=1y``) stops the
start with ImproperlyConfigured naming the variable, instead of silently meaning the default.
"""

import os
import secrets
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")
NOT_A_BOOLEAN = "{name}={value!r} is not a boolean: use one of {accepted} (any case)."
NOT_A_NUMBER = "{name}={value!r} is not {kind}."
NOT_ONE_LINE = "{name} must be one line of printable text (found {char})."
TOO_LONG = "{name} is {length} characters long; at most {limit}."
FIELD_KEYS_NEEDED = (
    "HBM_FIELD_KEYS is not set: with HBM_SECURE on, HBM does not start without the keys that "
    "encrypt protection, health, security and referral details (docs/operations/field-keys.md)."
)
NOT_A_FIELD_KEY = (
    "{source}: key {position} of {count} is not a Fernet key (44 characters of URL-safe "
    "base64; make one with `hbm field_keys generate`)."
)
NO_FIELD_KEY = "{source} lists no key."
FIELD_KEYS_FILE = "field_keys"
N = TypeVar("N", int, float)


def env_str(name: str, default: str = "") -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name, "")
    word = value.strip().lower()
    if not word:
        return default
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    accepted = ", ".join(f"{yes}/{no}" for yes, no in zip(TRUE, FALSE, strict=True))
    raise ImproperlyConfigured(NOT_A_BOOLEAN.format(name=name, value=value, accepted=accepted))


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "a whole number")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def _env_number(name: str, default: N, parse: Callable[[str], N], kind: str) -> N:
    value = env_str(name, "")
    if not value.strip():
        return default
    try:
        return parse(value)
    except ValueError:
        raise ImproperlyConfigured(NOT_A_NUMBER.format(name=name, value=value, kind=kind)) from None


def env_line(name: str, *, max_length: int) -> str:
    """One line of printable text (a legal reference, a label), empty when unset; a control,
    format or line-break character, or a value too long to store, stops the start."""
    value = env_str(name, "").strip()
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            raise ImproperlyConfigured(NOT_ONE_LINE.format(name=name, char=f"U+{ord(char):04X}"))
    if len(value) > max_length:
        raise ImproperlyConfigured(TOO_LONG.format(name=name, length=len(value), limit=max_length))
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


def secret_key_from(var_dir: Path) -> str:
    """The SECRET_KEY from the environment, else one generated once into var/."""
    given = env_str("SECRET_KEY")
    if given:
        return given
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def field_keys_from(var_dir: Path, *, required: bool) -> tuple[list[str], str]:
    """The field encryption keys, first the one that encrypts, and where they came from:
    ``HBM_FIELD_KEYS`` (comma-separated), else one key generated once into var/field_keys
    (one key a line) unless ``required`` (production), where their absence stops the start."""
    given = env_str("HBM_FIELD_KEYS")
    if given.strip():
        return _field_keys(given.replace(",", "\n"), "HBM_FIELD_KEYS"), "HBM_FIELD_KEYS"
    if required:
        raise ImproperlyConfigured(FIELD_KEYS_NEEDED)
    key_file = var_dir / FIELD_KEYS_FILE
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(Fernet.generate_key().decode("ascii") + "\n", encoding="utf-8")
        key_file.chmod(0o600)
    return _field_keys(key_file.read_text(encoding="utf-8"), str(key_file)), str(key_file)


def _field_keys(text: str, source: str) -> list[str]:
    keys = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    if not keys:
        raise ImproperlyConfigured(NO_FIELD_KEY.format(source=source))
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                NOT_A_FIELD_KEY.format(source=source, position=position, count=len(keys))
            ) from None
    return keys
