"""Two servers on loopback: a field station pulls the watchlists it may screen against and the
service directory from the national server (ADR 0130), screens its own arrivals with them,
and stops matching what the national server removed or stopped sharing."""

from tests.sync.test_replication import registration

PEOPLE = {
    "Amina": ["Amina", "Yusuf", "1990-04-02", "COD"],
    "Dalila": ["Dalila", "Mwangi", "1975-11-20", "KEN"],
    "Baraka": ["Baraka", "Okello", "1983-06-15", "UGA"],
}
LISTS = {
    "Shared at stations": {
        "marked": True,
        "rows": [["S-1", *PEOPLE["Amina"], "refer"], ["S-2", *PEOPLE["Dalila"], "hold"]],
    },
    "National only": {"marked": False, "rows": [["N-1", *PEOPLE["Baraka"], "refer"]]},
}


def register(station, *names: str) -> None:
    """Each person of PEOPLE arrives at the station, as listed."""
    arrivals = []
    for name in names:
        data = registration(name)
        _, family, born, nationality = PEOPLE[name]
        data["members"][0] |= {
            "family_name": family,
            "date_of_birth": born,
            "nationality": nationality,
        }
        arrivals.append(data)
    station.script("register", arrivals)


def test_a_station_screens_against_the_shared_lists_only(make_station, national):
    national_ids = national.script(
        "directory-setup", {"lists": LISTS, "providers": ["Clinic North", "Shelter South"]}
    )
    station = make_station()  # pulls
    seen = station.script("screening")
    shared = national_ids["lists"]["Shared at stations"]
    assert seen["lists"] == {shared: ["Shared at stations", True]}
    assert sorted(seen["entries"]) == ["S-1", "S-2"]  # nothing of the unmarked list
    assert all(active for _, active, _, _ in seen["entries"].values())
    providers = {name: [name, True, ["health"]] for name in national_ids["providers"]}
    assert seen["providers"] == {
        pid: providers[name] for name, pid in national_ids["providers"].items()
    }

    register(station, "Amina", "Baraka")
    seen = station.script("screening")
    assert seen["hits"] == [["Amina", "S-1"]]  # Baraka is listed nationally only
    assert seen["prompted"] == ["Amina"]  # the neutral prompt at the station's desk

    again = station.sync("pull")  # nothing changed: nothing sent
    assert again.returncode == 0, again.stderr
    assert "Reference data up to date" in again.stdout
    assert "Watchlist entries: 0 received" in again.stdout

    national.script("directory-change", {"remove": ["S-1"], "providers_off": ["Shelter South"]})
    pulled = station.sync("pull")
    assert pulled.returncode == 0, pulled.stderr
    assert "Watchlist entries: 1 received" in pulled.stdout  # the removal, not the whole list
    seen = station.script("screening")
    assert seen["entries"]["S-1"][1:] == [False, "", ""]  # removed: nothing of the person stays
    assert seen["entries"]["S-2"][1] is True
    shelter = national_ids["providers"]["Shelter South"]
    assert seen["providers"][shelter][1] is False
    register(station, "Amina")
    assert station.script("screening")["hits"] == [["Amina", "S-1"]]  # no new hit

    national.script("directory-change", {"mark": {"Shared at stations": False}})
    assert station.sync("pull").returncode == 0
    seen = station.script("screening")
    assert seen["lists"][shared] == ["Shared at stations", False]
    assert seen["entries"]["S-2"][1:] == [False, "", ""]  # withdrawn: emptied on the station
    register(station, "Dalila")
    seen = station.script("screening")
    assert seen["hits"] == [["Amina", "S-1"]]  # the withdrawn list no longer matches
    assert seen["prompted"] == ["Amina"]  # the station's own hit stays on the station

    national.script("directory-change", {"mark": {"Shared at stations": True}})
    pulled = station.sync("pull")
    assert "Watchlist entries: 2 received" in pulled.stdout  # shared again: sent again
    seen = station.script("screening")
    assert seen["lists"][shared] == ["Shared at stations", True]
    assert seen["entries"]["S-2"][1:] == [True, "Dalila", ""]
    assert seen["entries"]["S-1"][1] is False  # still removed nationally
    register(station, "Dalila")
    assert ["Dalila", "S-2"] in station.script("screening")["hits"]


def test_the_directorys_pathways_come_down_and_go(make_station, national):
    national.script("directory-setup", {"lists": {}, "providers": ["Clinic North", "Clinic South"]})
    national.script(
        "pathways", [["north-gate", "Clinic North", ""], ["north-gate", "Clinic South", "urgent"]]
    )
    station = make_station()  # pulls
    assert station.script("screening")["pathways"] == [
        ["north-gate", "health", "Clinic North", "", True],
        ["north-gate", "health", "Clinic South", "urgent", True],
    ]
    national.script("pathways", [["south-gate", "Clinic South", ""]])
    pulled = station.sync("pull")
    assert pulled.returncode == 0, pulled.stderr
    assert "1 pathways" in pulled.stdout
    # No referral went along the old ones at the station: deleted there.
    assert station.script("screening")["pathways"] == [
        ["south-gate", "health", "Clinic South", "", True]
    ]
