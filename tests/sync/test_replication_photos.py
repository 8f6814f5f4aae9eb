"""Two servers on loopback (as tests/sync/test_replication.py): a photo set and replaced at a
field station reaches the national server's media storage through the real push, once, a
photo of nearly 2 MB included; a photo set nationally since stays and the station's waits
for review; a photo whose registration was refused waits with it, set aside, and follows it
in a retry (ADR 0139)."""

from tests.sync.test_replication import register

NEARLY_2_MB = 2 * 1024 * 1024 - 8  # with the PNG signature: 2 MB exactly


def test_a_photo_set_and_replaced_at_a_station_arrives_once(make_station, national, link):
    station = make_station()
    register(station, "Amina")
    (person,) = station.script("counts")["persons"]
    big = station.script("photo", {"person": person, "seed": 1, "size": NEARLY_2_MB})

    link.drop_answer = True  # the registration applied nationally, the answer lost
    assert station.sync("push").returncode != 0
    link.drop_answer = False
    pushed = station.sync("push")  # the photo went in a request of its own, after it
    assert pushed.returncode == 0, pushed.stderr
    assert "acknowledged up to change 2 (1 applied, 1 replayed)" in pushed.stdout
    held = national.script("photos", {"person": person})
    assert held == {"sha256": big["sha256"], "files": 1, "audited": ["station-a"]}

    again = station.script("photo", {"person": person, "seed": 5, "size": NEARLY_2_MB})
    link.drop_answer = True  # the photo applied nationally, the answer lost: replayed
    assert station.sync("push").returncode != 0
    link.drop_answer = False
    pushed = station.sync("push")
    assert pushed.returncode == 0, pushed.stderr
    assert "acknowledged up to change 3 (1 replayed)" in pushed.stdout
    held = national.script("photos", {"person": person})
    assert held == {"sha256": again["sha256"], "files": 1, "audited": ["station-a"] * 2}

    small = station.script("photo", {"person": person, "seed": 2})  # replaced on the station
    pushed = station.sync("push")
    assert pushed.returncode == 0, pushed.stderr
    assert national.script("photos", {"person": person}) == {
        "sha256": small["sha256"],
        "files": 1,  # the replaced file deleted
        "audited": ["station-a"] * 3,
    }
    counts = national.script("counts")
    assert counts["applied"] == {"applied": 4} and counts["conflicts"] == []

    here = national.script(
        "photo", {"person": person, "seed": 3, "by": "officer-north"}
    )  # set nationally
    station.script("photo", {"person": person, "seed": 4})  # over the station's copy
    pushed = station.sync("push")
    assert pushed.returncode == 0, pushed.stderr
    assert "1 conflict" in pushed.stdout
    assert national.script("photos", {"person": person})["sha256"] == here["sha256"]
    (conflict,) = national.script("counts")["conflicts"]
    assert conflict["person"] == person and conflict["station"] == "station-a"


def test_a_photo_behind_a_refused_registration_is_set_aside_and_retried(make_station, national):
    station = make_station()
    register(station, "Amina", point="south-gate")  # not a point of station-a's account
    (person,) = station.script("counts")["persons"]
    station.script("photo", {"person": person, "seed": 1})

    pushed = station.sync("push")
    assert pushed.returncode != 0
    assert "change 1 (registration) refused and set aside" in pushed.stdout + pushed.stderr
    assert "change 2 (person_photo) refused and set aside: payload.person:" in (
        pushed.stdout + pushed.stderr
    )
    assert station.script("counts")["refused"] == [1, 2]
    assert national.script("counts")["persons"] == {}

    national.script("grant", {"account": "station-a", "point": "south-gate"})
    retried = station.sync("retry", "--all")
    assert retried.returncode == 0, retried.stderr
    assert station.script("counts")["refused"] == []
    sha256 = station.script("photos", {"person": person})["sha256"]
    assert national.script("photos", {"person": person}) == {
        "sha256": sha256,
        "files": 1,
        "audited": ["station-a"],
    }
