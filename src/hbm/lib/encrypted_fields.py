"""Model fields stored encrypted (hbm.lib.fieldcrypt): the ORM reads and writes them as
plain text or JSON; the column holds ``hbm1:<Fernet token>``.

An encrypted column cannot be searched, sorted or compared in SQL: every value is encrypted
with a fresh random IV, so equal texts differ in the column. Only ``isnull`` and, for text,
``= ""`` (an empty note is stored empty: it says nothing) can filter on one; any other lookup
or transform fails with FieldError rather than silently finding nothing.
"""

import json
from typing import Any, ClassVar

from django import forms
from django.core import validators
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from hbm.lib.fieldcrypt import decrypt, encrypt

NOT_FILTERABLE = (
    "{field} is encrypted: it can be filtered on isnull or = '' only, not {lookup!r} "
    "(docs/decisions/0124)"
)


class _EmptyOnlyExact(Exact):
    """``field = ""``: the one comparison an encrypted text column answers truly."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            raise FieldError(NOT_FILTERABLE.format(field=self.lhs.target, lookup="exact"))
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted at rest. ``max_length`` is checked on the plain text (forms and
    ``full_clean``), never by the column, which holds the longer ciphertext."""

    description = "Text (encrypted at rest)"
    lookups_allowed: ClassVar[dict[str, Any]] = {"isnull": IsNull, "exact": _EmptyOnlyExact}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return decrypt(value, where=f"{self.model._meta.db_table}.{self.column}")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name: str) -> Any:
        lookup = self.lookups_allowed.get(lookup_name)
        if lookup is None:
            raise FieldError(NOT_FILTERABLE.format(field=self, lookup=lookup_name))
        return lookup

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(NOT_FILTERABLE.format(field=self, lookup=lookup_name))


class EncryptedJSONField(EncryptedTextField):
    """JSON encrypted at rest: read and written as the Python value, as JSONField does (no
    key lookups in SQL)."""

    description = "JSON (encrypted at rest)"
    # What django-stubs types the attribute as, as for JSONField: any JSON value.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any
    lookups_allowed: ClassVar[dict[str, Any]] = {"isnull": IsNull}

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        return None if text is None else json.loads(text)

    def get_prep_value(self, value: Any) -> Any:
        return None if value is None else encrypt(json.dumps(value))

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj))

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})
