"""What the encrypted fields cost (ADR 0124): 1,000 hits and 1,000 referrals read through the
hit list and the referral list (20 pages of 50) and through the ORM, with their values
encrypted and with the same values in the clear, as before encryption (a plain value is read
as it is: the field only checks its prefix). Also the cost of one encryption and decryption.

    python bench/security/field_encryption.py [--rounds 5]

It runs on a scratch SQLite database in a temporary folder, in this process; not part of
`make bench` (its numbers are in docs/decisions/0124, not docs/benchmarks.md).
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
ROWS = 1000
PAGES = ROWS // 50

EXPLANATION = {
    "prior_weight": -9.21,
    "weight": 7.412,
    "probability": 0.998,
    "fields": [
        {"field": name, "level": "exact", "weight": 2.5}
        for name in ("given_name", "family_name", "father_name", "date_of_birth", "sex")
    ],
}
TEXT = "Seen by the protection desk; the mother is in Aru, the child asks for her. " * 2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    os.environ |= {
        "HBM_VAR_DIR": tempfile.mkdtemp(prefix="hbm-bench-crypt-"),
        "DJANGO_SETTINGS_MODULE": "hbm.settings",
        "ALLOWED_HOSTS": "testserver",
    }
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    world = build()
    print(f"| read of {ROWS:,} rows | in the clear (ms) | encrypted (ms) | overhead |")
    print("|---|---:|---:|---:|")
    for label, read in measures(world).items():
        clear, encrypted = timed(read, rounds)
        print(f"| {label} | {clear:.0f} | {encrypted:.0f} | {encrypted / clear - 1:+.0%} |")
    per_value()


def build() -> dict[str, Any]:
    from django.test import Client
    from django.utils import timezone
    from tests.factories import AgencyFactory, CrossingPointFactory, UserFactory
    from tests.registry.helpers import register

    from hbm.referrals.models import Provider, Referral, ServiceType
    from hbm.security import services
    from hbm.security.models import Hit

    point = CrossingPointFactory(code="point-a")
    agency = AgencyFactory(code="police", kind="police")
    officer = UserFactory(username="amina", roles=["registration_officer"], crossing_points=[point])
    security = UserFactory(username="joseph", agency=agency, roles=["security_officer"])
    protection = UserFactory(username="bruno", roles=["protection_officer"])
    security.crossing_points.set([point])
    protection.crossing_points.set([point])
    (person,) = register(officer, {"given_name": "Lado", "family_name": "Wani"})
    watchlist = services.watchlist_create(
        actor=security, owner=agency, name="National", legal_basis="Law"
    )
    rows = "".join(f"W-{n},Entry{n},Listed{n}\n" for n in range(ROWS))
    services.watchlist_load(
        actor=security,
        watchlist=watchlist,
        content=f"external_id,given_name,family_name\n{rows}".encode(),
        filename="list.csv",
    )
    Hit.objects.bulk_create(
        Hit(person=person, entry=e, probability=0.9, explanation=EXPLANATION, reason=TEXT)
        for e in watchlist.entries.all()
    )
    shared = {"given_name": "Lado", "family_name": "Wani", "need_code": "SC-UC", "notes": TEXT}
    referral = {
        "person": person,
        "service_type": ServiceType.objects.first(),
        "provider": Provider.objects.create(name="Provider", agency=agency),
        "crossing_point": point,
        "urgency": "normal",
        "consent_given": True,
        "sent_by": protection,
        "due_at": timezone.now() + timedelta(days=3),
    }
    texts = {"notes": TEXT, "outcome": TEXT, "shared": shared}
    Referral.objects.bulk_create(Referral(**referral, **texts) for _ in range(ROWS))
    security_client, protection_client = Client(), Client()
    security_client.force_login(security)
    protection_client.force_login(protection)
    return {"security": security_client, "protection": protection_client}


def measures(world: dict[str, Any]) -> dict[str, Any]:
    from hbm.referrals.models import Referral
    from hbm.security.models import Hit

    def pages(client: Any, url: str) -> None:
        for page in range(1, PAGES + 1):
            assert client.get(f"{url}?page={page}").status_code == 200

    return {
        "hit list, 20 pages": lambda: pages(world["security"], "/security/hits/"),
        "referral list, 20 pages": lambda: pages(world["protection"], "/referrals/"),
        "Hit objects (ORM)": lambda: list(Hit.objects.all()),
        "Referral objects (ORM)": lambda: list(Referral.objects.all()),
    }


def timed(read: Any, rounds: int) -> tuple[float, float]:
    """Median milliseconds in the clear and encrypted, the two taken in turns."""
    from hbm.lib.reencrypt import encrypted_models, to_current_key, to_plain, walk

    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(rounds):
        for plain in (True, False):
            for model in encrypted_models():
                walk(model, to_plain if plain else to_current_key)
            read()  # warm
            start = time.perf_counter()
            read()
            times[plain].append((time.perf_counter() - start) * 1000)
    return median(times[True]), median(times[False])


def per_value() -> None:
    from hbm.lib.fieldcrypt import decrypt, encrypt

    n = 10_000
    start = time.perf_counter()
    stored = [encrypt(TEXT) for _ in range(n)]
    encrypt_us = (time.perf_counter() - start) / n * 1e6
    start = time.perf_counter()
    for value in stored:
        decrypt(value)
    decrypt_us = (time.perf_counter() - start) / n * 1e6
    print(
        f"\nOne value of {len(TEXT)} characters: encrypt {encrypt_us:.0f} µs, "
        f"decrypt {decrypt_us:.0f} µs; stored {len(stored[0])} characters."
    )


if __name__ == "__main__":
    main()
