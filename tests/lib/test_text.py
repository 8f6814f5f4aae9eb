import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from hbm.lib import text
from hbm.lib.text import text_problem

# Letters and marks of the scripts people at these borders write their names in.
SCRIPTS = {
    "latin with diacritics": (0x00C0, 0x024F),
    "combining diacritics": (0x0300, 0x036F),
    "greek": (0x0370, 0x03FF),
    "cyrillic": (0x0400, 0x04FF),
    "hebrew": (0x05D0, 0x05EA),
    "arabic, persian, pashto": (0x0620, 0x06D3),
    "devanagari": (0x0900, 0x097F),
    "bengali": (0x0980, 0x09FF),
    "tamil": (0x0B80, 0x0BFF),
    "thai": (0x0E00, 0x0E7F),
    "ethiopic (amharic, tigrinya)": (0x1200, 0x137F),
    "nko": (0x07C0, 0x07FF),
    "tifinagh": (0x2D30, 0x2D7F),
    "hangul": (0xAC00, 0xD7A3),
    "cjk": (0x4E00, 0x9FFF),
}
NAME_CHARACTERS = st.one_of(
    *(
        st.characters(min_codepoint=low, max_codepoint=high, categories=("L", "M"))
        for low, high in SCRIPTS.values()
    ),
    st.sampled_from(" -'.\u200c\u200d"),
)


@given(st.text(NAME_CHARACTERS, min_size=1, max_size=40))
def test_names_in_every_script_pass(name):
    assert text_problem(name) is None
    assert text_problem(name, multiline=True) is None


@given(
    st.text(NAME_CHARACTERS, max_size=10),
    st.sampled_from(
        [chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7F, 0xA0)] + ["\u202e", "\u200b"]
    ),
    st.text(NAME_CHARACTERS, max_size=10),
)
def test_a_control_character_anywhere_in_a_name_is_named(before, char, after):
    problem = text_problem(before + char + after)
    assert problem is not None and f"U+{ord(char):04X}" in problem


@pytest.mark.parametrize(
    "name",
    [
        "محمد حسن",  # Arabic
        "نیک\u200cزاد",  # Dari: the ZERO WIDTH NON-JOINER keeps نیک and زاد apart
        "می\u200cخواهم",  # Persian
        "ګل\u200cپاڼه",  # Pashto
        "王秀英",  # Chinese
        "አበበ በቂላ",  # Amharic
        "Ольга Петренко",  # Cyrillic
        "Zoë Ngũgĩ Ñúñez",  # Latin with diacritics, precomposed
        "Zoe\u0308",  # ...and with a combining diaeresis
        "देवनागरी",  # Devanagari
        "क्\u200dष",  # Devanagari with ZERO WIDTH JOINER
        "O'Neil-Smith Jr.",
    ],
)
def test_real_names_pass(name):
    assert text_problem(name) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Ami\x00na", text.CONTROL.format("U+0000")),
        ("Amina\x1b[31m", text.CONTROL.format("U+001B")),
        ("Amina\x85", text.CONTROL.format("U+0085")),
        ("Amina\nDeng", text.CONTROL.format("U+000A")),
        ("\u202egnp.exe", text.BIDI_CONTROL.format("U+202E RIGHT-TO-LEFT OVERRIDE")),
        ("a\u2067b", text.BIDI_CONTROL.format("U+2067 RIGHT-TO-LEFT ISOLATE")),
        ("Ami\u200ena", text.BIDI_CONTROL.format("U+200E LEFT-TO-RIGHT MARK")),
        ("Ami\u200bna", text.INVISIBLE.format("U+200B ZERO WIDTH SPACE")),
        ("\ufeffAmina", text.INVISIBLE.format("U+FEFF ZERO WIDTH NO-BREAK SPACE")),
        ("Ami\u2060na", text.INVISIBLE.format("U+2060 WORD JOINER")),
        ("Amina\ud800", text.NOT_UNICODE.format("U+D800")),
        ("Amina\uffff", text.NOT_UNICODE.format("U+FFFF")),
    ],
)
def test_refused_characters_are_named(value, message):
    assert text_problem(value) == message


def test_notes_may_hold_line_breaks_tabs_and_direction_marks_but_not_overrides():
    assert text_problem("line one\r\nline two\tand\u200f more", multiline=True) is None
    assert text_problem("a\x00b", multiline=True) == text.CONTROL.format("U+0000")
    assert text_problem("a\u202eb", multiline=True) is not None


def test_refusing_names_each_field():
    with pytest.raises(ValidationError) as caught:
        text.text_refuse(
            {"name": "a\x00", "notes": "one\ntwo", "reason": "ok"}, multiline={"notes"}
        )
    assert caught.value.message_dict == {"name": [text.CONTROL.format("U+0000")]}
