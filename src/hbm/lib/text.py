"""The one check of text that people type or files bring in, before it is stored.

Refused: control characters (tab, line feed and carriage return only in multi-line text such as
notes), bidirectional embedding, override and isolate controls, and invisible characters that
serve no purpose in a name or a note. Letters of every script and their combining marks pass, and
so do ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER, which Persian, Pashto and Indic writing need.
The marks LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK and ARABIC LETTER MARK pass in multi-line text
only. Why each is refused: docs/decisions/0023-text-refused-characters.md.
"""

import re
import unicodedata
from collections.abc import Collection, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL = _("Contains a control character ({}); remove it.")
BIDI_CONTROL = _("Contains a right-to-left or left-to-right control character ({}); remove it.")
INVISIBLE = _("Contains an invisible character ({}); remove it.")
NOT_UNICODE = _("Contains a code point that is not a character ({}); remove it.")

_LINE_BREAKS = "\t\n\r"
_DIRECTION_MARKS = "\u200e\u200f\u061c"  # LRM, RLM, ALM
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069\u206a-\u206f"
_INVISIBLE = (
    "\u00ad\u115f\u1160\u200b\u2060-\u2064\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000e0001\U000e0020-\U000e007f"
)
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_ALWAYS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    + _BIDI_CONTROLS
    + _INVISIBLE
    + _NONCHARACTERS
    + "\ud800-\udfff"
)
_REFUSED_IN_LINE = re.compile(f"[{_ALWAYS}{_LINE_BREAKS}{_DIRECTION_MARKS}]")
_REFUSED_IN_LINES = re.compile(f"[{_ALWAYS}]")
_BIDI = re.compile(f"[{_BIDI_CONTROLS}{_DIRECTION_MARKS}]")
_HIDDEN = re.compile(f"[{_INVISIBLE}]")


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` can't be stored, naming the first refused character; None if it can."""
    found = (_REFUSED_IN_LINES if multiline else _REFUSED_IN_LINE).search(value)
    if found is None:
        return None
    char = found.group()
    if _BIDI.match(char):
        message = BIDI_CONTROL
    elif _HIDDEN.match(char):
        message = INVISIBLE
    elif "\ud800" <= char <= "\udfff" or unicodedata.category(char) == "Cn":
        message = NOT_UNICODE
    else:
        message = CONTROL
    return str(message).format(_describe(char))


def text_problems(
    values: Mapping[str, str],
    *,
    multiline: Collection[str] = (),
    into: dict[str, list[str]] | None = None,
) -> dict[str, list[str]]:
    """``{field: [reason]}`` for each field whose text can't be stored, added to ``into``
    (a service's other problems) when given."""
    problems = {} if into is None else into
    for field, value in values.items():
        problem = text_problem(value or "", multiline=field in multiline)
        if problem:
            problems.setdefault(field, []).append(problem)
    return problems


def text_refuse(values: Mapping[str, str], *, multiline: Collection[str] = ()) -> None:
    """Raise a ValidationError by field (a 422 in the API, field errors in a form)."""
    problems = text_problems(values, multiline=multiline)
    if problems:
        raise ValidationError(problems)
