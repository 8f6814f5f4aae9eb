"""Top the registry up to N persons in bulk, by repeating the demo population with new keys."""

from hbm.accounts.models import User
from hbm.demo.registrations import demo_load_registrations
from hbm.places.models import BorderCrossingPoint
from hbm.registry.models import Person


def fill(target: int) -> None:
    points = {p.code: p for p in BorderCrossingPoint.objects.all()}
    admin = User.objects.get(username="admin")
    officer = User.objects.get(username="registration")
    round_no = 0
    while (have := Person.objects.count()) < target:
        round_no += 1
        scale = min(5.0, max(0.01, (target - have) / 19_207 * 1.05))  # never an empty round
        demo_load_registrations(
            points=points,
            officers={"mahagi-goli": officer},
            administrator=admin,
            scale=scale,
            seed=1000 + round_no,
        )


def load_watchlist(entries: int, seed: int = 17) -> None:
    """A watchlist of ``entries`` people drawn from the caseload population (real name
    frequencies, FollowTheMoney and CSV forms), written in bulk: the service's load would also
    rescreen every registered person, which is not what the load bench measures."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from matching.caseload import Caseload

    from hbm.security.models import Watchlist, WatchlistEntry, WatchlistLoad

    admin = User.objects.get(username="admin")
    watchlist = Watchlist.objects.create(
        name="Bench list", owner=admin.agency, legal_basis="Load benchmark"
    )
    load = WatchlistLoad.objects.create(watchlist=watchlist, filename="bench.csv", loaded_by=admin)
    world = Caseload(seed=seed)
    rng = world.rng("entries")
    batch: list[WatchlistEntry] = []
    for n, person in enumerate(world.people(entries, stream="listed")):
        row = world.watchlist_entry(person, rng)
        batch.append(WatchlistEntry(watchlist=watchlist, load=load, external_id=f"B-{n}", **row))
        if len(batch) == 5_000:
            WatchlistEntry.objects.bulk_create(batch)
            batch = []
    WatchlistEntry.objects.bulk_create(batch)
