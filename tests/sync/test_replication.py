"""Two servers on loopback: a national server (gunicorn) and field stations (the ``hbm``
command on SQLite), with the link broken in each way a field link breaks. Every time: each
record exactly once on the national server, conflicts flagged, nothing lost."""

import json
import socket
from datetime import UTC, datetime, timedelta
from urllib.request import Request, urlopen
from uuid import uuid4

from hbm.sync.services.receive import NOT_A_STATION, UNKNOWN_PERSON

YESTERDAY = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)


def registration(given: str, point: str = "north-gate", **extra) -> dict:
    return {
        "id": str(uuid4()),
        "crossing_point": point,
        "direction": "entry",
        "consent_given": True,
        "crossed_at": YESTERDAY.isoformat(),
        "members": [
            {
                "relationship": "head",
                "given_name": given,
                "family_name": "Yusuf",
                "sex": "F",
                "date_of_birth": "1990-04-02",
                "nationality": "COD",
            }
        ],
        **extra,
    }


def register(station, *names: str, **extra) -> list[str]:
    """Registers each name at the station; answers the registration ids."""
    registrations = [registration(name, **extra) for name in names]
    station.script("register", registrations)
    return [data["id"] for data in registrations]


def api(national, token: str, method: str, path: str, body=None) -> tuple[int, dict]:
    request = Request(
        f"{national.url}/api/v1{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except Exception as error:  # HTTPError: the answer of a refusal
        return error.code, json.loads(error.read())  # type: ignore[attr-defined]


def assert_exactly_once(counts: dict, registration_ids: list[str]) -> None:
    assert counts["registrations"] == sorted(registration_ids)
    assert len(counts["persons"]) == len(registration_ids)
    assert counts["crossings"] == len(registration_ids)
    seqs = counts["applied_seqs"]
    assert len(seqs) == len({tuple(s) for s in seqs})


def test_a_cut_upload_and_a_lost_answer_leave_each_registration_once(make_station, national, link):
    station = make_station()
    ids = register(station, "Amina", "Baraka", "Chausiku")

    link.cut_after = 300  # the link drops in the middle of the batch
    cut = station.sync("push")
    assert cut.returncode != 0
    assert "did not answer" in cut.stderr and "hbm sync push" in cut.stderr
    assert national.script("counts")["registrations"] == []
    assert station.script("counts")["pushed"] == 0

    link.drop_answer = True  # applied nationally; the acknowledgement is lost on the way back
    lost = station.sync("push")
    assert lost.returncode != 0
    assert national.script("counts")["registrations"] == sorted(ids)
    assert station.script("counts")["pushed"] == 0  # the station cannot know: it sends again

    again = station.sync("push")
    assert again.returncode == 0, again.stderr
    assert "acknowledged up to change 3 (3 replayed)" in again.stdout
    nothing = station.sync("push")  # nothing left: no request
    assert nothing.stdout.strip() == "Pushed: acknowledged up to change 3 (nothing new)"

    counts = national.script("counts")
    assert_exactly_once(counts, ids)
    assert counts["applied"] == {"applied": 3}
    assert counts["push_audits"] == 2  # each push the server received whole is audited
    status = station.sync("status").stdout
    assert "acknowledged:    3" in status and "waiting:         0" in status


def test_the_same_batch_replayed_changes_nothing(make_station, national, link):
    station = make_station()
    ids = register(station, "Dalila", "Eshe")
    assert station.sync("push").returncode == 0
    sent = link.last_request
    assert sent and b"/api/v1/sync/changes" in sent

    with socket.create_connection(("127.0.0.1", national.port)) as raw:
        raw.sendall(sent)
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200")
    assert b'"acknowledged": 2' in answer and b'"replayed": 2' in answer
    assert_exactly_once(national.script("counts"), ids)


def test_a_server_restarted_during_sync_loses_nothing(make_station, national, link):
    station = make_station()
    ids = register(station, "Fatuma", "Gamila", "Halima", "Imani", "Jamila")

    def power_cut(request_number: int) -> None:
        if request_number == 2:  # the second batch has reached the server: cut its power
            national.kill()

    link.requests, link.after_request = 0, power_cut
    stopped = station.sync("push", "--batch", "2")
    assert stopped.returncode != 0
    link.after_request = None
    acknowledged = station.script("counts")["pushed"]
    assert acknowledged == 2  # the first batch only

    national.start()
    resumed = station.sync("push", "--batch", "2")
    assert resumed.returncode == 0, resumed.stderr
    assert "acknowledged up to change 5" in resumed.stdout
    counts = national.script("counts")
    assert_exactly_once(counts, ids)
    assert sum(counts["applied"].values()) == 5


def test_order_comes_from_the_log_not_from_a_skewed_clock(make_station, national, tmp_path):
    ahead = make_station(clock_skew=2 * 86400)  # the laptop's clock is two days fast
    (first,) = register(ahead, "Kamaria")
    behind = type(ahead)(ahead.var_dir, ahead.sync_url, ahead.token, clock_skew=-30 * 86400)
    a_month_ago = (datetime.now(UTC) - timedelta(days=31)).isoformat()
    (second,) = register(behind, "Lulu", crossed_at=a_month_ago)
    persons = behind.script("counts")["persons"]
    person = next(p for p, name in persons.items() if name == "Kamaria")
    behind.script("correct", {"person": person, "changes": {"given_name": "Kamariya"}})

    log = behind.script("counts")
    assert [seq for seq, _ in log["changes"]] == [1, 2, 3]
    assert log["changes_created"][2] < log["changes_created"][0]  # stamped out of order
    pushed = behind.sync("push")
    assert pushed.returncode == 0, pushed.stderr
    counts = national.script("counts")
    assert_exactly_once(counts, [first, second])
    assert "Kamariya" in counts["persons"].values()  # corrected after it was registered
    assert len(counts["corrections"]) == 1

    # A registration with no time of crossing takes the fast clock's: the national server
    # refuses it; the station sets it aside with the reason and the next change goes on.
    data = registration("Mosi")
    del data["crossed_at"]
    ahead.script("register", [data])
    (after,) = register(ahead, "Neema")
    refused = ahead.sync("push")
    assert refused.returncode != 0
    assert (
        "change 4 (registration) refused and set aside: payload.crossed_at: "
        "The crossing time cannot be in the future." in refused.stderr
    )
    assert "acknowledged up to change 5 (1 applied)" in refused.stderr
    counts = national.script("counts")
    assert data["id"] not in counts["registrations"] and after in counts["registrations"]
    status = ahead.sync("status").stdout
    assert "waiting:         0" in status and "refused:         1" in status
    assert "  change 4 (registration, " in status and "cannot be in the future" in status
    again = ahead.sync("push")  # set aside: not sent again by a push
    assert again.returncode == 0 and "(nothing new)" in again.stdout
    retried = ahead.sync("retry", "4")  # still in the future: refused again, still set aside
    assert retried.returncode != 0 and "change 4 (registration) refused" in retried.stderr
    assert ahead.script("counts")["refused"] == [4]
    assert ahead.sync("retry", "5").returncode != 0  # not a refused change

    # Pruning: every acknowledged change goes (1–3 went already, after the fast clock's
    # push: acknowledged by the slow clock a month "ago"); the refused one stays.
    pruned = ahead.sync("prune", "--older-than", "0")
    assert pruned.returncode == 0, pruned.stderr
    log = ahead.script("counts")
    assert log["changes"] == [[4, "registration"]] and log["refused"] == [4]
    assert "changes written: 5" in ahead.sync("status").stdout


def test_two_stations_correcting_one_person_offline_raise_a_conflict(make_station, national):
    station_a, station_b = make_station("station-a"), make_station("station-b")
    data = registration("Nuru")  # registered on one laptop, copied to both stations' records
    station_a.script("register", [data])
    station_b.script("register", [data])
    person = next(iter(station_a.script("counts")["persons"]))
    assert person == next(iter(station_b.script("counts")["persons"]))  # the same id on both
    first = station_a.script("correct", {"person": person, "changes": {"given_name": "Nuuru"}})
    station_b.script("correct", {"person": person, "changes": {"given_name": "Nouru"}})

    assert station_a.sync("push").returncode == 0
    pushed = station_b.sync("push")
    assert pushed.returncode == 0, pushed.stderr
    assert "1 conflict" in pushed.stdout and "1 replayed" in pushed.stdout

    counts = national.script("counts")
    assert_exactly_once(counts, [data["id"]])
    assert counts["persons"] == {person: "Nuuru"}  # station A's correction, not overwritten
    assert counts["corrections"] == [first["correction"]]
    (conflict,) = counts["conflicts"]
    assert conflict["station"] == "station-b" and conflict["status"] == "open"
    assert conflict["payload"]["changes"] == {"given_name": "Nouru"}  # kept whole for review
    status, listed = api(national, national.tokens["station-a"], "GET", "/sync/conflicts")
    assert status == 200 and [c["person"] for c in listed["results"]] == [person]


def test_only_a_station_pushes_and_only_for_its_points(make_station, national):
    plain = make_station("station-a")
    plain.token = national.tokens["officer-north"]  # an officer's token, not a station's
    register(plain, "Oni")
    refused = plain.sync("push")
    assert refused.returncode != 0 and NOT_A_STATION in refused.stderr
    assert plain.script("counts")["refused"] == []  # the whole request: nothing set aside
    assert "waiting:         1" in plain.sync("status").stdout
    assert plain.sync("pull").returncode != 0

    south = make_station("station-south")
    (outside_id,) = register(south, "Pendo")  # at north-gate, not this station's point
    (inside_id,) = register(south, "Saida", point="south-gate")
    outside = south.sync("push")
    assert outside.returncode != 0
    assert (
        "change 1 (registration) refused and set aside: payload.crossing_point: "
        "You do not register at this crossing point." in outside.stderr
    )
    assert national.script("counts")["registrations"] == [inside_id]  # not held up by it
    # The operator gives the station's account the point, then sends the change again.
    national.script("grant", {"account": "station-south", "point": "north-gate"})
    retried = south.sync("retry", "--all")
    assert retried.returncode == 0, retried.stderr
    assert "change 1 (registration): accepted" in retried.stdout
    assert "refused:         0" in south.sync("status").stdout
    assert_exactly_once(national.script("counts"), [outside_id, inside_id])

    bad = registration("Rehema")
    bad["members"][0]["age_estimate"] = "old"
    change = {
        "seq": 1,
        "id": str(uuid4()),
        "kind": "registration",
        "object_id": bad["id"],
        "payload": bad,
    }
    status, answer = api(
        national,
        national.tokens["station-a"],
        "POST",
        "/sync/changes",
        {"protocol": 1, "changes": [change]},
    )
    assert status == 422 and answer["acknowledged"] == 0 and answer["refused"] == 1
    assert answer["errors"][0]["field"] == "body.changes.0.payload.members.0.age_estimate"
    unknown = {
        **change,
        "id": str(uuid4()),
        "kind": "person_correction",
        "payload": {
            "person": str(uuid4()),
            "correction": str(uuid4()),
            "changes": {"given_name": "X"},
            "reason": "typo",
        },
    }
    status, answer = api(
        national,
        national.tokens["station-a"],
        "POST",
        "/sync/changes",
        {"protocol": 1, "changes": [unknown]},
    )
    assert status == 422 and answer["errors"] == [
        {"field": "body.changes.0.payload.person", "message": UNKNOWN_PERSON}
    ]
    assert national.script("counts")["applied"] == {"applied": 2}  # station-south's two
