"""Texts translated as data (docs/decisions/0021 and 0141): the source text (English) stays in
the row, and each other language is a translation row beside it, one per row and language,
holding the same text fields; a blank field falls back to the source.

A model with translations derives from ``Translated``, names its ``translated_fields`` and
declares, for each field shown to people, ``display_<field> = TranslatedText("<field>")``: the
text in the language of the current request. Its translation model derives from
``TranslationRow`` and has a foreign key with ``related_name="translations"``; prefetch
``translations`` when listing."""

from collections.abc import Mapping
from typing import Any, ClassVar, overload

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hbm.lib.text import text_problem
from hbm.lib.types import StrOrPromise

BASE_LANGUAGE = "en"

UNKNOWN_LANGUAGE = _("Unknown language {!r}; one of: {}.")
UNKNOWN_FIELD = _("Not a translated text; one of: {}.")
NOT_TEXT = _("Must be text.")


def translation_languages() -> list[tuple[str, StrOrPromise]]:
    """The languages a text can be translated into: the interface's, English aside."""
    return [(code, name) for code, name in settings.LANGUAGES if code != BASE_LANGUAGE]


def translation_language_codes() -> list[str]:
    return [code for code, _name in translation_languages()]


def language_problem(language: str) -> str | None:
    """Why ``language`` cannot carry translations, or None."""
    codes = translation_language_codes()
    if language in codes:
        return None
    return str(UNKNOWN_LANGUAGE.format(language, ", ".join(codes)))


class TranslationRow(models.Model):
    """The texts of one row in one language (abstract; the concrete model adds the text
    fields, blank allowed, and the foreign key to the translated row)."""

    language = models.CharField(_("language"), max_length=10, choices=translation_languages)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.language

    def clean(self) -> None:
        """Translated texts pass the same check as the texts people type (hbm.lib.text)."""
        problems = {}
        for field in self._meta.fields:
            if isinstance(field, models.CharField | models.TextField) and field.name != "language":
                multiline = isinstance(field, models.TextField)
                problem = text_problem(getattr(self, field.attname), multiline=multiline)
                if problem:
                    problems[field.name] = problem
        if problems:
            raise ValidationError(problems)


class Translated(models.Model):
    """A row whose ``translated_fields`` have translations in ``translations``."""

    translated_fields: ClassVar[tuple[str, ...]] = ()
    translations: Any  # a RelatedManager of the model's TranslationRow rows

    class Meta:
        abstract = True

    def _translation(self, language: str | None) -> Any:
        if not language:
            return None
        language = language.lower()
        base = language.split("-")[0]
        if base == BASE_LANGUAGE:
            return None
        rows = {row.language: row for row in self.translations.all()}
        return rows.get(language) or rows.get(base)

    def text_for(self, field: str, language: str | None) -> str:
        """``field`` in ``language`` ("fr", "ar", "fr-ca"...), else the source text."""
        source: str = getattr(self, field)
        row = self._translation(language)
        return (getattr(row, field) if row is not None else "") or source

    def texts(self) -> dict[str, dict[str, str]]:
        """Every language's texts, the source included; a missing text is left out."""
        found = {BASE_LANGUAGE: {f: getattr(self, f) for f in self.translated_fields}}
        for row in self.translations.all():
            texts = {f: getattr(row, f) for f in self.translated_fields if getattr(row, f)}
            if texts:
                found[row.language] = texts
        return found


class TranslatedText:
    """``display_<field>``: the field in the language of the current request."""

    def __init__(self, field: str) -> None:
        self.field = field

    @overload
    def __get__(self, instance: None, owner: type) -> "TranslatedText": ...

    @overload
    def __get__(self, instance: Translated, owner: type) -> str: ...

    def __get__(self, instance: Translated | None, owner: type) -> "str | TranslatedText":
        if instance is None:
            return self
        return instance.text_for(self.field, get_language())


def clean_translations(
    texts: Mapping[str, Any], *, fields: tuple[str, ...], multiline: tuple[str, ...], path: str
) -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    """Checks ``{language: {field: text}}`` for the ``fields`` of one row. Returns the cleaned
    texts (stripped) and the problems by dotted path under ``path``."""
    cleaned: dict[str, dict[str, str]] = {}
    problems: dict[str, list[str]] = {}
    for language, values in texts.items():
        where = f"{path}.{language}" if path else str(language)
        problem = language_problem(str(language))
        if problem:
            problems[where] = [problem]
            continue
        if not isinstance(values, Mapping):
            problems[where] = [str(NOT_TEXT)]
            continue
        row: dict[str, str] = {}
        for field, value in values.items():
            if field not in fields:
                problems[f"{where}.{field}"] = [str(UNKNOWN_FIELD.format(", ".join(fields)))]
                continue
            if not isinstance(value, str):
                problems[f"{where}.{field}"] = [str(NOT_TEXT)]
                continue
            found = text_problem(value, multiline=field in multiline)
            if found:
                problems[f"{where}.{field}"] = [found]
                continue
            row[field] = value.strip()
        cleaned[str(language)] = row
    return cleaned, problems


def translations_save(row: Translated, texts: Mapping[str, Mapping[str, str]]) -> int:
    """Write each language's texts on ``row`` (checked already): a language whose texts are
    all blank loses its translation. Returns the number of languages written or removed."""
    model = row.translations.model
    key = row.translations.field.name
    changed = 0
    for language, values in texts.items():
        found = model.objects.filter(**{key: row, "language": language}).first()
        if not any(values.values()):
            if found is not None:
                found.delete()
                changed += 1
            continue
        if found is None:
            found = model(**{key: row, "language": language})
        for field in row.translated_fields:
            if field in values:
                setattr(found, field, values[field])
        try:
            found.full_clean(exclude=[key])
        except ValidationError as error:
            raise ValidationError(
                {f"{language}.{f}": messages for f, messages in error.message_dict.items()}
            ) from error
        found.save()
        changed += 1
    return changed
