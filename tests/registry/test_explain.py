"""The "why" line of a stored explanation: the fields that agree most strongly and the
strongest evidence against, in the desk's words, in the reader's language."""

from django.utils import translation

from hbm.registry.explain import waterfall_rows, why_phrase


def _explanation(*fields):
    return {
        "prior_weight": -8.4,
        "weight": sum(weight for _field, _level, weight in fields) - 8.4,
        "fields": [
            {"field": field, "level": level, "weight": weight} for field, level, weight in fields
        ],
    }


# Two namesakes: same names and year of birth, a different father's name; no document.
NAMESAKES = _explanation(
    ("given_name", "exact", 3.1),
    ("family_name", "exact", 3.9),
    ("father_name", "different", -4.2),
    ("date_of_birth", "same_year", 2.0),
    ("sex", "agree", 0.5),
    ("nationality", "disagree", -1.1),
    ("document_number", "missing", 0.0),
)


def test_the_strongest_agreements_come_first_and_the_strongest_disagreement_after():
    assert why_phrase(NAMESAKES) == (
        "Given name and Family name exact, Date of birth same year; but Father's name different"
    )


def test_fields_at_one_level_share_it_in_the_engines_field_order():
    explanation = _explanation(
        ("given_name", "variant", 3.3),
        ("family_name", "variant", 3.7),
        ("date_of_birth", "exact", 6.5),
    )
    assert why_phrase(explanation) == (
        "Date of birth exact, Given name and Family name spelling variant"
    )


def test_only_the_three_strongest_agreements_are_named():
    explanation = _explanation(
        ("given_name", "variant", 3.0),
        ("date_of_birth", "same_year", 6.0),
        ("nationality", "agree", 0.7),
        ("sex", "agree", 0.5),
        ("phone", "exact", 9.0),
    )
    assert why_phrase(explanation) == (
        "Phone exact, Date of birth same year, Given name spelling variant"
    )


def test_missing_fields_are_no_evidence_and_are_left_out():
    explanation = _explanation(
        ("given_name", "exact", 3.0),
        ("family_name", "missing", 0.0),
        ("father_name", "missing", 0.0),
    )
    assert why_phrase(explanation) == "Given name exact"
    assert [row["field"] for row in waterfall_rows(explanation)] == ["Given name"]


def test_only_disagreement_says_so():
    explanation = _explanation(("given_name", "different", -5.0), ("sex", "disagree", -2.0))
    assert why_phrase(explanation) == "No field agrees; Given name different"


def test_nothing_compared_is_an_empty_line():
    assert why_phrase({}) == ""
    assert why_phrase(_explanation(("phone", "missing", 0.0))) == ""


def test_a_field_or_level_without_words_is_shown_as_the_engine_names_it():
    explanation = _explanation(("eye_colour", "bluish", 1.0))
    assert why_phrase(explanation) == "eye_colour bluish"


def test_the_line_and_the_rows_are_in_the_readers_language():
    names = _explanation(("given_name", "exact", 3.0), ("family_name", "exact", 3.0))
    with translation.override("fr"):
        line = why_phrase(names)
        rows = waterfall_rows(_explanation(("given_name", "exact", 3.0)))
    assert line.startswith("Prénom et Nom") and line.endswith("identique")
    assert rows == [{"field": "Prénom", "level": "identique", "weight": "+3.0"}]
