"""Two servers on loopback (as tests/sync/test_replication_records.py): a referral sent at a
field station with the person's consent, and its revocation, reach the national server
through the real push, each once, under the ids the station gave them, the consent reused
(ADR 0137)."""

from tests.sync.test_replication import register


def test_a_referral_and_its_transition_made_at_a_station_arrive_once(make_station, national, link):
    national.script("directory-setup", {"lists": {}, "providers": ["Clinic North"]})
    national.script("pathways", [["north-gate", "Clinic North", ""]])
    station = make_station()  # pulls the provider and its pathway
    register(station, "Amina")
    (person,) = station.script("counts")["persons"]
    made = station.script("refer", {"person": person, "provider": "Clinic North"})
    (referral,) = made
    assert made[referral]["status"] == "revoked" and made[referral]["consent"]
    assert [kind for _, kind in station.script("counts")["changes"]] == [
        "registration",
        "consent",
        "referral",
        "referral_transition",
    ]

    link.drop_answer = True  # applied nationally, the answer lost: the next push replays
    assert station.sync("push").returncode != 0
    link.drop_answer = False
    pushed = station.sync("push")
    assert pushed.returncode == 0, pushed.stderr
    assert "acknowledged up to change 4 (4 replayed)" in pushed.stdout

    held = national.script("referrals", {"person": person})
    assert held == made  # same ids, same state, the station's consent
    consents = national.script("held", {"person": person})["consents"]
    assert sorted(purpose for _, purpose, _ in consents) == ["referral", "registration"]
    counts = national.script("counts")
    assert counts["applied"] == {"applied": 4} and counts["conflicts"] == []


def test_what_a_provider_does_nationally_comes_down_once_and_never_goes_back(
    make_station, national
):
    national.script("directory-setup", {"lists": {}, "providers": ["Clinic North"]})
    national.script("pathways", [["north-gate", "Clinic North", ""]])
    station = make_station()
    other = make_station("station-b")  # the same point, another station
    register(station, "Amina")
    (person,) = station.script("counts")["persons"]
    station.script("refer", {"person": person, "provider": "Clinic North", "revoke": False})
    assert station.sync("push").returncode == 0
    held = national.script(
        "provide", {"person": person, "provider": "Clinic North", "to": "accepted"}
    )
    (referral,) = held
    assert held[referral]["status"] == "accepted"

    pulled = station.sync("pull")
    assert pulled.returncode == 0, pulled.stderr
    assert "Referral events: 1 received (1 applied)" in pulled.stdout
    assert station.script("referrals", {"person": person}) == held  # same status, same ids
    again = station.sync("pull")  # replayed: the cursor moved, nothing comes twice
    assert again.returncode == 0, again.stderr
    assert "Referral events: 0 received" in again.stdout
    status = station.sync("status")
    assert "referral events cursor: 20" in status.stdout

    pushed = station.sync("push")  # the national event is not pushed back
    assert pushed.returncode == 0, pushed.stderr
    assert "(nothing new)" in pushed.stdout
    assert national.script("counts")["applied"] == {"applied": 3}  # registration, consent, referral
    assert [kind for _, kind in station.script("counts")["changes"]] == [
        "registration",
        "consent",
        "referral",
    ]
    theirs = other.sync("pull")  # another station's referral never comes down
    assert theirs.returncode == 0, theirs.stderr
    assert "Referral events: 0 received" in theirs.stdout
