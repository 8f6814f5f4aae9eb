"""How long a field station takes to pull 100,000 watchlist entries from the national server
on loopback (ADR 0130), and a second pull with nothing changed. The national server is
gunicorn on SQLite (or on PostgreSQL with --database-url), the station `hbm` on SQLite: the
two-server set-up of tests/sync, whose helpers this uses. Prints the figures for
docs/sync.md.

    .venv/bin/python bench/sync/watchlist_pull.py [--entries 100000] [--database-url URL]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.backups.sites import create_database, drop_database, site_url  # noqa: E402
from tests.sync.sites import National, Station, base_env, migrate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = None
        if args.database_url:
            create_database(args.database_url, "hbm_bench_sync_pull")
            database_url = site_url(args.database_url, "hbm_bench_sync_pull")
        national = National(var_dir=Path(tmp) / "national", database_url=database_url)
        national.var_dir.mkdir()
        migrate(national.env())
        station_accounts = {"station": {"roles": ["field_station"], "points": ["north"]}}
        tokens = national.script(
            "national-setup", {"points": ["north"], "accounts": station_accounts}
        )
        started = time.monotonic()
        national.script("fill-watchlist", {"entries": args.entries})
        print(f"national: {args.entries} entries loaded in {time.monotonic() - started:.0f} s")
        national.start()
        try:
            station = Station(
                var_dir=Path(tmp) / "station", sync_url=national.url, token=tokens["station"]
            )
            station.var_dir.mkdir()
            migrate(base_env(station.var_dir))
            for name in ("first pull", "second pull (nothing changed)"):
                started = time.monotonic()
                pulled = station.sync("pull")
                seconds = time.monotonic() - started
                assert pulled.returncode == 0, pulled.stderr
                print(f"{name}: {seconds:.1f} s — {pulled.stdout.strip().splitlines()[-1]}")
        finally:
            national.kill()
            if args.database_url:
                drop_database(args.database_url, "hbm_bench_sync_pull")


if __name__ == "__main__":
    main()
