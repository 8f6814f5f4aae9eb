import hbm.matching as api
from hbm.matching import PersonIndex, PersonRecord, default_model

# RUF022 order (isort style): constants, then classes, then functions, each alphabetical.
EXPECTED = [
    "DEFAULT_THRESHOLD",
    "BatchResult",
    "Clustering",
    "CsvFormatError",
    "DateInterval",
    "DateLevel",
    "Explanation",
    "FieldContribution",
    "IncrementalDeduper",
    "IndexFormatError",
    "InvalidRecordError",
    "Match",
    "MatchingError",
    "Model",
    "ModelFormatError",
    "NameLevel",
    "NameMatch",
    "PersonIndex",
    "PersonRecord",
    "Problem",
    "Relative",
    "ScoredPair",
    "TrainingReport",
    "compare_dates",
    "compare_names",
    "dedupe",
    "default_model",
    "link",
    "name_tokens",
    "normalize_text",
    "parse_date",
    "read_records",
    "skeleton",
    "train",
    "write_records",
]


def test_all_is_exactly_the_public_api() -> None:
    assert api.__all__ == EXPECTED
    assert len(set(api.__all__)) == len(api.__all__)
    for name in api.__all__:
        assert getattr(api, name) is not None
    assert issubclass(api.CsvFormatError, api.InvalidRecordError)
    assert issubclass(api.InvalidRecordError, api.MatchingError)
    assert issubclass(api.ModelFormatError, api.MatchingError)


def test_no_django_or_other_hbm_imports() -> None:
    # In a fresh interpreter: this test process has Django loaded by pytest-django.
    import subprocess
    import sys

    code = (
        "import sys, hbm.matching, hbm.matching.cli; "
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.') "
        "or (m.startswith('hbm.') and not m.startswith('hbm.matching'))]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_relatives_patronymic_chain() -> None:
    ix = PersonIndex(default_model(2026))
    father = PersonRecord(
        "f",
        given_name="Hassan",
        family_name="Karimi",
        father_name="Ali",
        sex="M",
        date_of_birth="1960",
        place_of_origin="Herat",
    )
    child = PersonRecord(
        "c",
        given_name="Ahmad",
        family_name="Karimi",
        father_name="Hassan",
        sex="M",
        date_of_birth="1990-05-01",
        place_of_origin="Herat",
    )
    sister = PersonRecord(
        "s",
        given_name="Zainab",
        family_name="Karimi",
        father_name="Hassan",
        sex="F",
        date_of_birth="1993",
        place_of_origin="Herat",
    )
    other = PersonRecord(
        "o",
        given_name="Hassan",
        family_name="Karimi",
        sex="M",
        date_of_birth="1985",
        place_of_origin="Kabul",
    )
    ix.add_many([father, sister, other])
    rel = ix.relatives(child)
    by = {(r.id, r.relation): r for r in rel}
    assert ("f", "parent") in by
    assert any("patronymic" in x for x in by[("f", "parent")].reasons)
    assert ("s", "sibling") in by
    assert ("o", "parent") not in by  # only 5 years older
    assert rel[0].id == "f"
    kids = {
        (r.id, r.relation)
        for r in ix.relatives(
            PersonRecord(
                "f2", given_name="Hassan", family_name="Karimi", sex="M", date_of_birth="1961"
            )
        )
    }
    assert ("s", "child") in kids


def test_relatives_spouse_by_household() -> None:
    ix = PersonIndex(default_model(2026))
    wife = PersonRecord(
        "w",
        given_name="Amina",
        family_name="Osman",
        sex="F",
        date_of_birth="1982",
        phone="+249 912 345 678",
        place_of_origin="Nyala",
    )
    stranger = PersonRecord(
        "x",
        given_name="Hawa",
        family_name="Adam",
        sex="F",
        date_of_birth="1982",
        phone="+249 900 000 001",
    )
    ix.add_many([wife, stranger])
    husband = PersonRecord(
        "h",
        given_name="Ibrahim",
        family_name="Yagoub",
        sex="M",
        date_of_birth="1978",
        phone="0912345678",
        place_of_origin="Nyala",
    )
    rel = ix.relatives(husband)
    assert [(r.id, r.relation) for r in rel] == [("w", "spouse")]
    assert "shared phone" in rel[0].reasons
