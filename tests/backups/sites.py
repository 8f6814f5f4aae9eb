"""An HBM site run as operators run it: its own var/ folder and database, the ``hbm`` command
in a subprocess. A PostgreSQL site gets a database of its own, named from the test database."""

import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

from hbm.backups.tables import row_counts

HBM = str(Path(sys.executable).with_name("hbm"))
# The restored site serves a page: a demo coordinator signs in and opens a restored person.
SERVES = """
import django
django.setup()
import pyotp
from django.test import Client
from django.urls import reverse
from hbm.demo.scenario import DEMO_PASSWORD, DEMO_TOTP_SECRET
from hbm.registry.models import Person
client = Client()
login = client.post(
    reverse("accounts:login"), {"username": "coordinator", "password": DEMO_PASSWORD}
)
code = client.post(reverse("accounts:login-code"), {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
person = Person.objects.order_by("pk").first()
page = client.get(reverse("registry:person-detail", args=[person.public_id]))
shown = person.family_name in page.content.decode()
print(login.status_code, code.status_code, page.status_code, shown)
"""


@dataclass
class Site:
    var_dir: Path
    database_url: str | None  # None: SQLite under var_dir

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
        env |= {"HBM_VAR_DIR": str(self.var_dir), "ALLOWED_HOSTS": "testserver"}
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def hbm(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [HBM, *args], env=self.env(), capture_output=True, text=True, timeout=300
        )

    def serves_a_person(self, field_keys: str = "") -> str:
        """The coordinator logs in (password, then the demo's two-factor code) and opens a
        person. ``field_keys``: the keys the operator kept apart from the backup."""
        env = self.env() | ({"HBM_FIELD_KEYS": field_keys} if field_keys else {})
        done = subprocess.run(
            [sys.executable, "-c", SERVES], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def execute(self, sql: str) -> None:
        if self.database_url is None:
            with closing(sqlite3.connect(self.var_dir / "hbm.sqlite3")) as db:
                db.execute(sql)
                db.commit()
        else:
            with psycopg.connect(self.database_url) as db:
                db.execute(sql)

    def counts(self) -> dict[str, int]:
        if self.database_url is None:
            path = self.var_dir / "hbm.sqlite3"
            if not path.exists():
                return {}
            with closing(sqlite3.connect(path)) as db:
                return row_counts(db.cursor(), "sqlite")
        with psycopg.connect(self.database_url) as db, db.cursor() as cursor:
            return row_counts(cursor, "postgresql")


def site_url(database_url: str | None, name: str) -> str | None:
    """DATABASE_URL naming another database on the same server; None on SQLite."""
    if not database_url:
        return None
    return urlsplit(database_url)._replace(path=f"/{name}").geturl()


def create_database(database_url: str, name: str, template: str | None = None) -> None:
    """An empty database ``name``, or a copy of the database ``template``."""
    with psycopg.connect(site_url(database_url, "postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        copy = f' TEMPLATE "{template}"' if template else ""
        db.execute(f'CREATE DATABASE "{name}"{copy}')


def drop_database(database_url: str, name: str) -> None:
    with psycopg.connect(site_url(database_url, "postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class SessionWriter(threading.Thread):
    """Writes sessions into a site's database, one committed row at a time, until stopped:
    the load of a server in use."""

    def __init__(self, site: Site) -> None:
        super().__init__(daemon=True)
        self.site, self.written, self.stop = site, 0, threading.Event()

    def run(self) -> None:
        if self.site.database_url is None:
            db: Any = sqlite3.connect(self.site.var_dir / "hbm.sqlite3", timeout=20)
        else:
            db = psycopg.connect(self.site.database_url)
        with closing(db):
            while not self.stop.is_set():
                key = f"busy{self.written:036d}"
                db.execute(
                    "INSERT INTO django_session (session_key, session_data, expire_date)"
                    f" VALUES ('{key}', 'x', '2999-01-01')"
                )
                db.commit()
                self.written += 1
                time.sleep(0.002)
