"""Encryption at rest of the most sensitive fields (docs/decisions/0124).

A stored value is ``PREFIX`` followed by a Fernet token (AES-128-CBC and HMAC-SHA256: a value
altered in the database is refused, not read as something else). The keys are
``settings.FIELD_KEYS`` (``HBM_FIELD_KEYS``, else ``var/field_keys``): the first encrypts, every
one decrypts, so a new key is put first and the old ones stay listed until ``hbm field_keys
rotate`` has re-encrypted every value. A value without the prefix was written before
encryption: it reads as it is, and the migration or a rotation encrypts it.

This is the one place values are encrypted and decrypted: the model fields
(hbm.lib.encrypted_fields) and any read that goes around the ORM call it.
"""

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

PREFIX = "hbm1:"
KEYS_SETTING = "FIELD_KEYS"
NO_KEY_OPENS = (
    "{where}: no key in HBM_FIELD_KEYS (or var/field_keys) opens this value; it was written "
    "with a key that is no longer listed (a backup restored without its keys?): list that key "
    "again"
)


class UnreadableValue(Exception):
    """A stored value that no configured key decrypts (a wrong or missing key, or an altered
    value). Never shown as empty: a page that showed it empty and saved would lose it."""


@cache
def _keys() -> tuple[MultiFernet, Fernet]:
    keys = [Fernet(key) for key in getattr(settings, KEYS_SETTING)]
    return MultiFernet(keys), keys[0]


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == KEYS_SETTING:
        _keys.cache_clear()


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def encrypt(text: str) -> str:
    """The stored form of ``text``, encrypted with the first key."""
    return PREFIX + _keys()[0].encrypt(text.encode()).decode("ascii")


def decrypt(stored: str, *, where: str = "a value") -> str:
    """The text of a stored value; a plain (legacy) value is returned as it is."""
    if not is_encrypted(stored):
        return stored
    try:
        return _keys()[0].decrypt(_token(stored)).decode()
    except InvalidToken:
        raise UnreadableValue(NO_KEY_OPENS.format(where=where)) from None


def reencrypted(stored: str, *, where: str = "a value") -> str | None:
    """The value encrypted with the first key, or None when it is already: a plain value is
    encrypted, one written with an older key is re-encrypted. UnreadableValue when no key
    opens it."""
    if not is_encrypted(stored):
        return encrypt(stored)
    multi, first = _keys()
    token = _token(stored)
    try:
        first.decrypt(token)
        return None
    except InvalidToken:
        pass
    try:
        return PREFIX + multi.rotate(token).decode("ascii")
    except InvalidToken:
        raise UnreadableValue(NO_KEY_OPENS.format(where=where)) from None


def _token(stored: str) -> bytes:
    return stored[len(PREFIX) :].encode("ascii", errors="replace")


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")
