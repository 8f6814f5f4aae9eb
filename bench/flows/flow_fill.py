"""Bulk fill for bench/flows/dashboard.py: forty more crossing points, then two years of
registrations (persons, groups, registrations, crossings) written straight through the
database driver (executemany on SQLite, COPY on PostgreSQL), then daily flow tallies.

The population is made of households. Most trips are made by households already registered
at that point (traders and pendular movement: they cross back and forth); the rest are new
households. Two surges (Sudanese arriving in the east, Congolese leaving the Kivus) bring
large new households, mostly women and children, for a few weeks. Every point has its own
mix of nationalities: its own country, its neighbour, the other regional nationalities (15
in all, 84 % of people), 35 others (14 %: a long tail, so that two years of the national series
export more than a million rows) and 2 % not stated. Runs inside a configured Django process
(after `hbm migrate` and `hbm demo load`).
"""

from __future__ import annotations

import bisect
import math
import random
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction

REG = "registration"  # demo user registering at mahagi-goli; "admin" registers elsewhere
DEMO_WEIGHTS = {"mahagi-goli": 3.0, "aru-vurra": 2.0, "aba": 0.8, "ndu-bangassou": 1.0}
FMP = "flow_monitoring_point"
BCP = "official_bcp"
EXTRA_POINTS = [
    # code, name, kind, country, neighbour, time zone, lat, lon, weight (registrations/day)
    ("kasindi-mpondwe", "Kasindi – Mpondwe", BCP, "COD", "UGA", "Africa/Lubumbashi",
     "0.0450", "29.7100", 3.0),
    ("bunagana", "Bunagana", BCP, "COD", "UGA", "Africa/Lubumbashi", "-1.2880", "29.5960", 1.5),
    ("ishasha", "Ishasha", BCP, "COD", "UGA", "Africa/Lubumbashi", "-0.6390", "29.6610", 0.8),
    ("goma-grande-barriere", "Goma – Grande Barrière", BCP, "COD", "RWA", "Africa/Lubumbashi",
     "-1.6850", "29.2480", 5.0),
    ("goma-petite-barriere", "Goma – Petite Barrière", BCP, "COD", "RWA", "Africa/Lubumbashi",
     "-1.6810", "29.2600", 4.0),
    ("bukavu-rusizi", "Bukavu – Rusizi I", BCP, "COD", "RWA", "Africa/Lubumbashi",
     "-2.4850", "28.8950", 3.0),
    ("kavimvira-gatumba", "Kavimvira – Gatumba", BCP, "COD", "BDI", "Africa/Lubumbashi",
     "-3.3640", "29.2800", 2.0),
    ("kalemie-port", "Kalemie port (Lake Tanganyika)", BCP, "COD", "TZA", "Africa/Lubumbashi",
     "-5.9300", "29.2000", 0.6),
    ("kasumbalesa", "Kasumbalesa", BCP, "COD", "ZMB", "Africa/Lubumbashi", "-12.2600",
     "27.8000", 2.5),
    ("dilolo", "Dilolo", BCP, "COD", "AGO", "Africa/Lubumbashi", "-10.6900", "22.3400", 0.5),
    ("kinshasa-ngobila", "Kinshasa – Beach Ngobila", BCP, "COD", "COG", "Africa/Kinshasa",
     "-4.3000", "15.3100", 3.0),
    ("lufu", "Lufu", BCP, "COD", "AGO", "Africa/Kinshasa", "-5.6100", "14.4500", 1.0),
    ("zongo", "Zongo", BCP, "COD", "CAF", "Africa/Kinshasa", "4.3420", "18.5930", 1.0),
    ("libenge", "Libenge", BCP, "COD", "CAF", "Africa/Kinshasa", "3.6530", "18.6360", 0.4),
    ("kurukwata", "Kurukwata", BCP, "COD", "SSD", "Africa/Lubumbashi", "3.4800", "30.9000", 0.5),
    ("fmp-kamango", "Kamango (flow monitoring)", FMP, "COD", "UGA", "Africa/Lubumbashi",
     "0.6500", "29.8800", 0.0),
    ("fmp-kibumba", "Kibumba (flow monitoring)", FMP, "COD", "RWA", "Africa/Lubumbashi",
     "-1.5000", "29.3600", 0.0),
    ("fmp-kiliba", "Kiliba (flow monitoring)", FMP, "COD", "BDI", "Africa/Lubumbashi",
     "-3.2200", "29.1500", 0.0),
    ("fmp-yakoma", "Yakoma (flow monitoring)", FMP, "COD", "CAF", "Africa/Kinshasa", "4.0900",
     "22.4500", 0.0),
    ("elegu-nimule", "Elegu – Nimule", BCP, "UGA", "SSD", "Africa/Kampala", "3.5800", "32.0600",
     2.5),
    ("oraba-kaya", "Oraba – Kaya", BCP, "UGA", "SSD", "Africa/Kampala", "3.5000", "31.2000", 0.8),
    ("malaba", "Malaba", BCP, "UGA", "KEN", "Africa/Kampala", "0.6400", "34.2700", 2.5),
    ("busia", "Busia", BCP, "UGA", "KEN", "Africa/Kampala", "0.4600", "34.0900", 3.0),
    ("mutukula", "Mutukula", BCP, "UGA", "TZA", "Africa/Kampala", "-1.0000", "31.4200", 1.0),
    ("katuna-gatuna", "Katuna – Gatuna", BCP, "UGA", "RWA", "Africa/Kampala", "-1.4300",
     "29.9800", 1.5),
    ("nadapal", "Nadapal", BCP, "SSD", "KEN", "Africa/Juba", "4.4000", "34.9900", 0.5),
    ("renk-joda", "Renk – Joda", BCP, "SSD", "SDN", "Africa/Juba", "11.7500", "32.8000", 0.7),
    ("fmp-pagak", "Pagak (flow monitoring)", FMP, "SSD", "ETH", "Africa/Juba", "8.4600",
     "33.9300", 0.0),
    ("bangui-port", "Bangui river port", BCP, "CAF", "COD", "Africa/Bangui", "4.3600", "18.5900",
     1.0),
    ("beloko", "Béloko", BCP, "CAF", "CMR", "Africa/Bangui", "5.9300", "14.6000", 0.6),
    ("rusumo", "Rusumo", BCP, "RWA", "TZA", "Africa/Kigali", "-2.3800", "30.7800", 1.0),
    ("cyanika", "Cyanika", BCP, "RWA", "UGA", "Africa/Kigali", "-1.3500", "29.7400", 0.7),
    ("kobero", "Kobero", BCP, "BDI", "TZA", "Africa/Bujumbura", "-2.8000", "30.8500", 0.6),
    ("tunduma", "Tunduma", BCP, "TZA", "ZMB", "Africa/Dar_es_Salaam", "-9.3000", "32.7700", 2.0),
    ("nakonde", "Nakonde", BCP, "ZMB", "TZA", "Africa/Lusaka", "-9.3300", "32.7500", 1.5),
    ("moyale", "Moyale", BCP, "KEN", "ETH", "Africa/Nairobi", "3.5300", "39.0500", 1.0),
    ("metema", "Metema", BCP, "ETH", "SDN", "Africa/Addis_Ababa", "12.9600", "36.1600", 0.7),
    ("brazzaville-beach", "Brazzaville – Le Beach", BCP, "COG", "COD", "Africa/Brazzaville",
     "-4.2700", "15.2900", 2.0),
    ("luvo", "Luvo", BCP, "AGO", "COD", "Africa/Luanda", "-6.0800", "14.6300", 0.8),
    ("fmp-adre", "Adré (flow monitoring)", FMP, "TCD", "SDN", "Africa/Ndjamena", "13.4700",
     "22.2000", 0.0),
]  # fmt: skip
# Points with an enumerator's daily tally: people counted per day relative to the others.
TALLY_WEIGHTS = {
    "fmp-kamango": 1.0,
    "fmp-kibumba": 1.5,
    "fmp-kiliba": 0.8,
    "fmp-yakoma": 0.5,
    "fmp-pagak": 0.8,
    "fmp-adre": 1.5,
}
# Official points where enumerators also tally, for the last TALLY_BOTH_DAYS days.
TALLY_BOTH = ("bunagana", "ishasha")
TALLY_BOTH_DAYS = 180
# The ~15 nationalities of the region (weights when neither own country nor neighbour).
MAIN = {
    "COD": 10, "UGA": 6, "SSD": 6, "RWA": 4, "BDI": 4, "CAF": 3, "TZA": 3, "KEN": 3,
    "SDN": 4, "ETH": 2, "SOM": 2, "ERI": 1.5, "ZMB": 1.5, "AGO": 1, "COG": 1.5,
}  # fmt: skip
TAIL = [
    "NGA", "CMR", "TCD", "GIN", "MLI", "SEN", "CIV", "GHA", "NER", "BFA", "SYR", "AFG", "PAK",
    "BGD", "IND", "CHN", "YEM", "LBY", "TUN", "DZA", "EGY", "MWI", "MOZ", "ZWE", "ZAF", "GAB",
    "GNQ", "BEN", "TGO", "LBR", "SLE", "GMB", "MRT", "MAR", "LBN",
]  # fmt: skip
SHARE_OWN, SHARE_NEIGHBOUR, SHARE_MAIN, SHARE_TAIL, SHARE_UNKNOWN = 0.25, 0.21, 0.38, 0.14, 0.02
SURGES = [
    # points, first day, peak day, last day, extra volume at peak (x weight), nationality,
    # direction; tallies at FMPs among the points follow the same curve
    (("metema", "renk-joda", "fmp-adre"), 150, 260, 420, 5.0, "SDN", "entry"),
    (
        (
            "bunagana",
            "kasindi-mpondwe",
            "ishasha",
            "goma-grande-barriere",
            "goma-petite-barriere",
            "bukavu-rusizi",
            "kavimvira-gatumba",
            "fmp-kibumba",
            "fmp-kamango",
        ),
        560,
        575,
        640,
        3.0,
        "COD",
        "exit",
    ),
]
WEEKDAY = (1.0, 1.05, 1.1, 1.0, 1.15, 1.2, 0.6)
RETURNING = 0.92  # share of trips by an already registered household, once the pool is full
TRANSPORT = ("on_foot", "on_foot", "on_foot", "motorbike", "bus", "car", "truck", "bicycle")
REASONS = ("trade", "trade", "economic", "family", "return", "study", "health", "other")
GIVEN_F = (
    "Amina",
    "Esther",
    "Grace",
    "Ruth",
    "Claire",
    "Neema",
    "Aline",
    "Furaha",
    "Mapendo",
    "Sifa",
    "Akello",
    "Nyakim",
)
GIVEN_M = (
    "Patrick",
    "Joseph",
    "Bruno",
    "Samuel",
    "Jean",
    "Moise",
    "Emmanuel",
    "Okello",
    "Deng",
    "Ismail",
    "Baraka",
)
FAMILY = (
    "Kasongo",
    "Mbuyi",
    "Ilunga",
    "Lokeli",
    "Ndjadi",
    "Adiru",
    "Ujiga",
    "Mwamba",
    "Angonzi",
    "Kabila",
    "Deng",
    "Okot",
)


def _uuids() -> Iterable[str]:
    """Unique UUID texts, increasing from a random start (cheap, and B-tree friendly)."""
    prefix = random.getrandbits(64)
    n = 0
    while True:
        n += 1
        yield f"{prefix:016x}{n:016x}"


class Sink:
    """Buffered rows per table, written with executemany (SQLite) or COPY (PostgreSQL)."""

    def __init__(self, columns: dict[str, tuple[str, ...]], flush_at: int = 200_000) -> None:
        self.columns = columns
        self.rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in columns}
        self.written: dict[str, int] = dict.fromkeys(columns, 0)
        self.flush_at = flush_at
        self.postgres = connection.vendor == "postgresql"
        self.raw = connection.connection

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        rows = self.rows[table]
        rows.append(row)
        if len(rows) >= self.flush_at:
            self.flush(table)

    def flush(self, table: str) -> None:
        rows = self.rows[table]
        if not rows:
            return
        columns = self.columns[table]
        names = ", ".join(f'"{c}"' for c in columns)
        if self.postgres:
            with (
                self.raw.cursor() as cursor,
                cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            self.raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        self.written[table] += len(rows)
        rows.clear()

    def close(self) -> None:
        for table in self.rows:
            self.flush(table)


def _indexes(table: str) -> list[tuple[str, str, str]]:
    """(name, kind, recreate statement) of the table's secondary indexes that can be dropped:
    kind is 'index' or 'constraint' (PostgreSQL unique constraints)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c"
                " WHERE c.conrelid = %s::regclass AND c.contype = 'u'",
                [table],
            )
            found = [
                (name, "constraint", f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {ddl}')
                for name, ddl in cursor.fetchall()
            ]
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [table],
            )
            return found + [(name, "index", ddl) for name, ddl in cursor.fetchall()]
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
            " AND sql IS NOT NULL",
            [table],
        )
        return [(name, "index", ddl) for name, ddl in cursor.fetchall()]


def _drop(table: str, indexes: list[tuple[str, str, str]]) -> None:
    with connection.cursor() as cursor:
        for name, kind, _ddl in indexes:
            if kind == "constraint":
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            else:
                cursor.execute(f'DROP INDEX "{name}"')


def add_points() -> None:
    from hbm.places.models import BorderCrossingPoint

    for code, name, kind, country, neighbour, zone, lat, lon, _w in EXTRA_POINTS:
        BorderCrossingPoint.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "country_id": country,
                "neighbour_country_id": neighbour,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "daily_capacity": None,
                "time_zone": zone,
            },
        )


def _mix(country: str, neighbour: str) -> tuple[list[str], list[float]]:
    """Nationalities of the people crossing at a point, as cumulative weights."""
    weights: dict[str, float] = {country: SHARE_OWN, neighbour: SHARE_NEIGHBOUR, "": SHARE_UNKNOWN}
    others = {k: v for k, v in MAIN.items() if k not in weights}
    total = sum(others.values())
    for code, w in others.items():
        weights[code] = weights.get(code, 0) + SHARE_MAIN * w / total
    tail = [c for c in TAIL if c not in weights]
    for code in tail:
        weights[code] = weights.get(code, 0) + SHARE_TAIL / len(tail)
    codes = list(weights)
    running, cumulative = 0.0, []
    for code in codes:
        running += weights[code]
        cumulative.append(running)
    return codes, cumulative


def _surge(day: int, first: int, peak: int, last: int) -> float:
    if day < first or day > last:
        return 0.0
    if day <= peak:
        return (day - first) / max(peak - first, 1)
    return (last - day) / max(last - peak, 1)


def volumes(
    points: dict[str, Any], first_day: date, days: int, total: int, rng: random.Random
) -> tuple[dict[str, list[float]], dict[str, list[float]], float]:
    """Expected registered crossings and surge share per point and day, scaled to the
    total; and the people per weight unit and day (for the tallies)."""
    base: dict[str, list[float]] = {}
    surge: dict[str, list[float]] = {}
    for code in points:
        weight = points[code]["weight"] or TALLY_WEIGHTS.get(code, 0.0)
        base[code] = []
        surge[code] = []
        for d in range(days):
            weekday = (first_day + timedelta(days=d)).weekday()
            level = (
                weight
                * WEEKDAY[weekday]
                * (1 + 0.15 * math.sin(2 * math.pi * d / 365))
                * (0.85 + 0.3 * d / days)
                * rng.lognormvariate(0, 0.15)
            )
            extra = 0.0
            for codes, first, peak, last, factor, *_ in SURGES:
                if code in codes:
                    extra += weight * factor * _surge(d, first, peak, last)
            base[code].append(level)
            surge[code].append(extra)
    registered = sum(sum(base[c]) + sum(surge[c]) for c in points if points[c]["weight"])
    scale = total / registered
    expected = {c: [(b + s) * scale for b, s in zip(base[c], surge[c], strict=True)] for c in base}
    share = {
        c: [s / (b + s) if b + s else 0.0 for b, s in zip(base[c], surge[c], strict=True)]
        for c in base
    }
    return expected, share, scale


def _members(rng: random.Random, surge: bool) -> list[tuple[str, int]]:
    """(sex, age) of a household's members, head first."""
    if surge:
        size = rng.choices((1, 2, 3, 4, 5, 6, 7, 8, 9), (12, 10, 12, 14, 16, 14, 10, 7, 5))[0]
        head_sex = "F" if rng.random() < 0.6 else "M"
    else:
        size = rng.choices((1, 2, 3, 4, 5, 6, 7, 8), (55, 15, 10, 8, 6, 3, 2, 1))[0]
        head_sex = "M" if rng.random() < 0.6 else "F"
    members = [(head_sex, rng.randint(18, 64))]
    if size >= 2 and rng.random() < (0.5 if surge else 0.7):
        members.append(("F" if head_sex == "M" else "M", rng.randint(18, 60)))
    if size >= 4 and rng.random() < 0.15:
        members.append((rng.choice("FM"), rng.randint(60, 85)))
    while len(members) < size:
        members.append((rng.choice("FM"), rng.randint(0, 17)))
    return members


def fill(total: int, *, days: int = 730, seed: int = 2026) -> dict[str, Any]:
    """Insert `total` crossings over the `days` local days before today, and the tallies."""
    from hbm.accounts.models import User
    from hbm.places.models import BorderCrossingPoint
    from hbm.registry.models import Crossing, Group, IdentityCluster, Person, Registration

    started = time.perf_counter()
    rng = random.Random(seed)
    add_points()
    weights = {code: w for code, *_, w in EXTRA_POINTS} | DEMO_WEIGHTS
    today = datetime.now(UTC).date()
    first_day = today - timedelta(days=days)  # the last day filled is yesterday
    points: dict[str, Any] = {}
    for p in BorderCrossingPoint.objects.all():
        zone = ZoneInfo(p.time_zone)
        midnights = [
            int(datetime.combine(first_day + timedelta(days=n), time_of_day(0), zone).timestamp())
            for n in range(days)
        ]
        points[p.code] = {
            "id": p.pk,
            "country": p.country_id,
            "neighbour": p.neighbour_country_id,
            "weight": weights.get(p.code, 0.0),
            "midnights": midnights,
            "mix": _mix(p.country_id, p.neighbour_country_id or ""),
            "zone": p.time_zone,
        }
    expected, surge_share, per_weight = volumes(points, first_day, days, total, rng)
    users = dict(User.objects.filter(username__in=[REG, "admin"]).values_list("username", "pk"))
    tables = {m: m._meta.db_table for m in (IdentityCluster, Person, Group, Registration, Crossing)}
    columns = {
        tables[IdentityCluster]: ("id", "public_id", "created_at"),
        tables[Person]: (
            "id", "public_id", "given_name", "family_name", "father_name", "other_names",
            "name_original_script", "sex", "date_of_birth", "birth_earliest", "birth_latest",
            "age_estimate", "nationality_id", "document_type", "document_number", "phone",
            "place_of_origin", "languages", "photo", "cluster_id", "first_crossing_point_id",
            "created_by_id", "created_at", "updated_at",
        ),
        tables[Group]: ("id", "public_id", "kind", "created_at"),
        tables[Registration]: (
            "id", "public_id", "content_hash", "group_id", "crossing_point_id",
            "registered_by_id", "device_id", "created_at",
        ),
        tables[Crossing]: (
            "id", "public_id", "person_id", "group_id", "registration_id", "crossing_point_id",
            "direction", "crossed_at", "transport", "reason", "origin_country_id",
            "origin_place", "destination", "child_without_related_adult", "registered_by_id",
        ),
    }  # fmt: skip
    _check_columns(columns)
    next_id = {
        table: (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        for model, table in tables.items()
    }
    postgres = connection.vendor == "postgresql"
    suffix = "+00" if postgres else ""
    dropped = {table: _indexes(table) for table in columns}
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET session_replication_role = replica")  # no FK triggers
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA journal_mode = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -1000000")
            cursor.execute("PRAGMA temp_store = MEMORY")
    for table, indexes in dropped.items():
        _drop(table, indexes)
    raw = connection.connection
    if not postgres:
        raw.execute("BEGIN")  # the driver is in autocommit mode: one transaction per stretch
    sink = Sink(columns)
    uuid = {table: _uuids() for table in columns}
    day_text: dict[int, str] = {}
    t_person, t_cluster = tables[Person], tables[IdentityCluster]
    t_group, t_registration, t_crossing = tables[Group], tables[Registration], tables[Crossing]
    person_id, group_id = next_id[t_person], next_id[t_group]
    registration_id, crossing_id = next_id[t_registration], next_id[t_crossing]
    # households: first person id, size, last direction crossed (0 entry, 1 exit)
    first_person: list[int] = []
    sizes: list[int] = []
    last_way: list[int] = []
    pools: dict[str, list[int]] = {code: [] for code in expected}
    codes = [c for c in expected if points[c]["weight"]]
    made = 0
    surge_nationality = {c: s[5] for s in SURGES for c in s[0]}
    surge_direction = {c: s[6] for s in SURGES for c in s[0]}
    carry = {code: 0.0 for code in codes}
    for d in range(days):
        for code in codes:
            point = points[code]
            point_id = point["id"]
            officer = users[REG] if code == "mahagi-goli" else users["admin"]
            wanted = expected[code][d] + carry[code]
            target = int(wanted)
            carry[code] = wanted - target
            if d == days - 1 and code == codes[-1]:
                target = total - made  # the rounding left overs, so that the total is exact
            pool = pools[code]
            pool_full = 10 * max(expected[code]) / 2.75
            nationals, cumulative = point["mix"]
            midnight = point["midnights"][d]
            done = 0
            while done < target:
                surge = rng.random() < surge_share[code][d]
                seconds = rng.randint(6 * 3600, 18 * 3600 - 1)
                if rng.random() < 0.03:
                    seconds = rng.randint(0, 86_399)
                moment = midnight + seconds
                day_no, rest = divmod(moment, 86_400)
                text = day_text.get(day_no)
                if text is None:
                    text = day_text[day_no] = date.fromordinal(day_no + 719_163).isoformat()
                crossed_at = f"{text} {rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
                crossed_at += suffix
                if not surge and pool and rng.random() < RETURNING * min(1, len(pool) / pool_full):
                    family = pool[rng.randrange(len(pool))]
                    way = last_way[family] ^ (rng.random() < 0.9)
                    first, size = first_person[family], sizes[family]
                    reason = rng.choice(REASONS)
                else:
                    if surge:
                        nationality = surge_nationality[code]
                        way = surge_direction[code] == "exit"
                        reason = "conflict"
                    else:
                        nationality = nationals[
                            bisect.bisect(cumulative, rng.random() * cumulative[-1])
                        ]
                        way = rng.random() < 0.5
                        reason = rng.choice(REASONS)
                    members = _members(rng, surge)
                    first, size = person_id, len(members)
                    crossing_day = first_day.toordinal() + d
                    for sex, age in members:
                        _person(
                            sink, rng, uuid, t_person, t_cluster, person_id, sex, age,
                            nationality, crossing_day, point_id, officer, crossed_at,
                        )  # fmt: skip
                        person_id += 1
                    family = len(sizes)
                    first_person.append(first)
                    sizes.append(size)
                    last_way.append(0)
                    pool.append(family)
                last_way[family] = way
                take = min(size, target - done)
                direction = "exit" if way else "entry"
                origin = point["country"] if way else point["neighbour"]
                transport = rng.choice(TRANSPORT)
                kind = "individual" if take == 1 else "household"
                sink.add(t_group, (group_id, next(uuid[t_group]), kind, crossed_at))
                sink.add(
                    t_registration,
                    (registration_id, next(uuid[t_registration]), "bench", group_id, point_id,
                     officer, None, crossed_at),
                )  # fmt: skip
                crossing_uuid = uuid[t_crossing]
                for member in range(take):
                    sink.add(
                        t_crossing,
                        (crossing_id, next(crossing_uuid), first + member, group_id,
                         registration_id, point_id, direction, crossed_at, transport, reason,
                         origin, "", "", False, officer),
                    )  # fmt: skip
                    crossing_id += 1
                group_id += 1
                registration_id += 1
                done += take
            made += done
        if d % 60 == 59 or d == days - 1:
            if not postgres:
                raw.execute("COMMIT")
                raw.execute("BEGIN")
            print(
                f"  day {d + 1}/{days}: {made:,} crossings, {person_id - next_id[t_person]:,}"
                f" persons, {time.perf_counter() - started:.0f} s",
                flush=True,
            )
    sink.close()
    if not postgres:
        raw.execute("COMMIT")
    filled = time.perf_counter() - started
    print(f"  rows written in {filled:.0f} s; rebuilding indexes", flush=True)
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET maintenance_work_mem = '512MB'")
        for indexes in dropped.values():
            for name, _kind, ddl in indexes:
                t0 = time.perf_counter()
                cursor.execute(ddl)
                print(f"    {name}: {time.perf_counter() - t0:.0f} s", flush=True)
        if postgres:
            for table in columns:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                    f' (SELECT max(id) FROM "{table}"))'
                )
            cursor.execute("SET session_replication_role = DEFAULT")
    indexed = time.perf_counter() - started - filled
    tallies, lines = _tallies(points, first_day, days, per_weight, rng)
    if postgres:
        with connection.cursor() as cursor:
            for table in columns:
                cursor.execute(f'VACUUM ANALYZE "{table}"')
    connection.close()  # the next connection gets the settings' own pragmas
    if not postgres:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = WAL")
    return {
        "crossings": sink.written[t_crossing],
        "persons": sink.written[t_person],
        "registrations": sink.written[t_registration],
        "tallies": tallies,
        "tally_lines": lines,
        "points": len(codes) + len(TALLY_WEIGHTS),
        "rows_seconds": round(filled, 1),
        "index_seconds": round(indexed, 1),
        "fill_seconds": round(time.perf_counter() - started, 1),
        "first_day": first_day.isoformat(),
        "last_day": (first_day + timedelta(days=days - 1)).isoformat(),
    }


def _person(
    sink: Sink,
    rng: random.Random,
    uuid: dict[str, Iterable[str]],
    t_person: str,
    t_cluster: str,
    pk: int,
    sex: str,
    age: int,
    nationality: str,
    crossing_day: int,
    point_id: int,
    officer: int,
    created_at: str,
) -> None:
    born = crossing_day - int(age * 365.25) - rng.randrange(365)
    kind = rng.random()
    estimate = None
    if kind < 0.6:
        dob = earliest = latest = date.fromordinal(born).isoformat()
    elif kind < 0.8:
        year = date.fromordinal(born).year
        dob, earliest = str(year), f"{year}-01-01"
        latest = min(f"{year}-12-31", date.fromordinal(crossing_day).isoformat())
    elif kind < 0.96:
        dob, estimate = "", age
        earliest = date.fromordinal(crossing_day - round((age + 3) * 365.25)).isoformat()
        latest = date.fromordinal(crossing_day - round(max(age - 2, 0) * 365.25)).isoformat()
    else:
        dob, earliest, latest = "", None, None
    odd = rng.random()
    if odd < 0.005:
        sex = "X"
    elif odd < 0.01:
        sex = ""
    given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
    document = f"D{pk:09d}" if rng.random() < 0.3 else ""
    sink.add(t_cluster, (pk, next(uuid[t_cluster]), created_at))  # type: ignore[call-overload]
    sink.add(
        t_person,
        (
            pk, next(uuid[t_person]), given, rng.choice(FAMILY), "", "", "", sex, dob,  # type: ignore[call-overload]
            earliest, latest, estimate, nationality or None,
            "national_id" if document else "", document, "", "", "[]", "", pk, point_id,
            officer, created_at, created_at,
        ),
    )  # fmt: skip


def _check_columns(columns: dict[str, tuple[str, ...]]) -> None:
    """Every NOT NULL column of the filled tables gets a value (fails early after a model
    change rather than half-way through the fill)."""
    from django.apps import apps

    for model in apps.get_models():
        table = model._meta.db_table
        if table not in columns:
            continue
        for f in model._meta.concrete_fields:
            if not f.null and f.column not in columns[table]:
                raise RuntimeError(f"bench fill does not set {table}.{f.column}")


CELL_SHARES = (  # entry/exit cells of a tally line, in CELLS order (women, men by age band)
    0.08, 0.12, 0.27, 0.03, 0.08, 0.12, 0.27, 0.03,
)  # fmt: skip


@transaction.atomic
def _tallies(
    points: dict[str, Any], first_day: date, days: int, per_weight: float, rng: random.Random
) -> tuple[int, int]:
    """Daily tallies (07:00–17:00 local) at the flow monitoring points for every day, and at
    TALLY_BOTH official points for the last TALLY_BOTH_DAYS days."""
    from hbm.accounts.models import User
    from hbm.flows.models import CELLS, FlowCount, FlowCountLine

    enumerator = User.objects.get(username="enumerator")
    counts: list[FlowCount] = []
    plans: list[list[tuple[str, str, list[int]]]] = []
    for code, point in points.items():
        if code in TALLY_WEIGHTS:
            weight, start_day = TALLY_WEIGHTS[code], 0
        elif code in TALLY_BOTH:
            weight, start_day = point["weight"] * 1.3 * 10 / 12, days - TALLY_BOTH_DAYS
        else:
            continue
        nationals, cumulative = point["mix"]
        zone = ZoneInfo(point["zone"])
        for d in range(start_day, days):
            weekday = (first_day + timedelta(days=d)).weekday()
            extra = sum(
                weight * factor * _surge(d, first, peak, last)
                for codes, first, peak, last, factor, *_ in SURGES
                if code in codes
            )
            people = round(
                per_weight * (weight * WEEKDAY[weekday] * rng.lognormvariate(0, 0.2) + extra)
            )
            if people <= 0:
                continue
            lines = []
            left = people
            while left > 0:
                n = min(left, max(1, int(rng.expovariate(1 / max(people / 8, 1)))))
                left -= n
                nationality = nationals[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
                cells = [0] * 8
                for _ in range(n):
                    cells[bisect.bisect(_CUMULATIVE_CELLS, rng.random())] += 1
                lines.append(("entry" if rng.random() < 0.5 else "exit", nationality, cells))
            day = first_day + timedelta(days=d)
            start = datetime.combine(day, time_of_day(7), zone)
            counts.append(
                FlowCount(
                    content_hash="bench",
                    crossing_point_id=point["id"],
                    window_start=start,
                    window_end=start + timedelta(hours=10),
                    total=people,
                    recorded_by=enumerator,
                )
            )
            plans.append(lines)
    FlowCount.objects.bulk_create(counts, batch_size=2_000)
    rows = []
    for count, lines in zip(counts, plans, strict=True):
        for direction, nationality, cells in lines:
            line = FlowCountLine(
                count=count,
                direction=direction,
                people=sum(cells),
                nationality_id=nationality or None,
            )
            for (field, _sex, _band), n in zip(CELLS, cells, strict=True):
                setattr(line, field, n)
            rows.append(line)
    FlowCountLine.objects.bulk_create(rows, batch_size=5_000)
    return len(counts), len(rows)


_CUMULATIVE_CELLS = [sum(CELL_SHARES[: i + 1]) / sum(CELL_SHARES) for i in range(8)]
_CUMULATIVE_CELLS[-1] = 1.0 + 1e-9
