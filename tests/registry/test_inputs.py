import datetime
import uuid

from hbm.registry.inputs import MemberInput, RegistrationInput


def test_a_registrations_content_hash_stays_what_it_was_when_stored():
    # Stored hashes tell an exact replay (200) from a changed one (409): the hash of the same
    # content must never change, here pinned as computed with dataclasses.asdict.
    data = RegistrationInput(
        id=uuid.UUID("6f1c1f3e-2a53-4b3a-9d1e-6c1d2f3a4b5c"),
        crossing_point="mahagi-goli",
        direction="entry",
        members=(
            MemberInput(
                relationship="head",
                given_name="Achol",
                family_name="Deng",
                sex="F",
                date_of_birth="1990",
                languages=("din", "en"),
            ),
            MemberInput(
                relationship="child",
                existing_person=uuid.UUID("0a1b2c3d-0000-4000-8000-000000000001"),
                age_estimate=7,
            ),
        ),
        consent_given=True,
        crossed_at=datetime.datetime(2026, 12, 1, 8, 30, tzinfo=datetime.UTC),
        extra={"case": "Kà 12"},
    )
    expected = "18f4279de6cdf058f30ac2e37c6869d35fe875933712b41ec0052901862ef5e6"
    assert data.content_hash() == expected
    other_id = RegistrationInput(**{**data.__dict__, "id": uuid.uuid4()})
    assert other_id.content_hash() == expected
