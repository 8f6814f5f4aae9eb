"""Two servers on loopback (as tests/sync/test_replication.py): a consent withdrawn, a
consent recorded and two screenings made at a field station reach the national server
through the real push, each once, under the ids the station gave them (ADR 0137)."""

from tests.sync.test_replication import register


def test_consents_and_screenings_made_at_a_station_arrive_once(make_station, national, link):
    station = make_station()
    register(station, "Amina")
    (person,) = station.script("counts")["persons"]
    made = station.script("records", {"person": person})
    assert sorted(reason for _, _, reason in made["consents"]) == ["", "she asked us to stop"]
    assert [kind for _, kind in station.script("counts")["changes"]] == [
        "registration",
        "consent_withdrawal",
        "consent",
        "protection_screening",
        "health_screening",
    ]

    link.drop_answer = True  # applied nationally, the answer lost: the next push replays
    assert station.sync("push").returncode != 0
    link.drop_answer = False
    pushed = station.sync("push")
    assert pushed.returncode == 0, pushed.stderr
    assert "acknowledged up to change 5 (5 replayed)" in pushed.stdout

    assert national.script("held", {"person": person}) == made  # same ids, same content
    counts = national.script("counts")
    assert counts["applied"] == {"applied": 5} and counts["conflicts"] == []
