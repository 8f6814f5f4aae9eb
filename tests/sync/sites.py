"""The two servers of a replication test, each as operators run it: its own var/ folder and
database, its own processes. The national server is gunicorn on a free loopback port (on
PostgreSQL when the suite runs on it, else SQLite); a field station is the ``hbm`` command on
SQLite, pointed at the national server (or at a FaultyLink in front of it)."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.backups.sites import create_database, site_url

VENV_BIN = Path(sys.executable).parent
HBM = str(VENV_BIN / "hbm")
ROOT = Path(__file__).resolve().parents[2]
SQLITE_FILES = ("hbm.sqlite3", "hbm.sqlite3-wal", "hbm.sqlite3-shm")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def base_env(var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY") and not k.startswith("HBM_SYNC")
    }
    env |= {"HBM_VAR_DIR": str(var_dir), "PYTHONPATH": str(ROOT)}
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


@dataclass
class Template:
    """A migrated SQLite database (and on PostgreSQL a migrated template database): each
    site starts as a copy, sparing each a minute of migrations."""

    sqlite_dir: Path
    pg_template: str | None  # the name of the template database, on PostgreSQL

    def sqlite_into(self, var_dir: Path) -> None:
        var_dir.mkdir(parents=True, exist_ok=True)
        for name in SQLITE_FILES:
            if (self.sqlite_dir / name).exists():
                shutil.copy(self.sqlite_dir / name, var_dir / name)


def migrate(env: dict[str, str]) -> None:
    done = subprocess.run(
        [HBM, "migrate", "-v0"], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr


def run_script(env: dict[str, str], command: str, argument: Any = None) -> Any:
    args = [sys.executable, "-m", "tests.sync.site_script", command]
    if argument is not None:
        args.append(json.dumps(argument))
    done = subprocess.run(args, env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class National:
    var_dir: Path
    database_url: str | None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        # Entries go to stations at once: the tests' writes are committed before a pull.
        env = base_env(self.var_dir) | {
            "ALLOWED_HOSTS": "127.0.0.1",
            "HBM_SYNC_SETTLE_SECONDS": "0",
        }
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def start(self) -> None:
        log = (self.var_dir / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--workers=1",
                "--timeout=60",
                "--no-control-socket",  # its default path is shared by every gunicorn
                f"--bind=127.0.0.1:{self.port}",
                "hbm.wsgi:application",
            ],
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        log.close()  # the server has its own copy
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.var_dir / "gunicorn.log").read_text()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the national server did not start")

    def kill(self) -> None:
        """As a power cut would: no time to finish the request in hand."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def script(self, command: str, argument: Any = None) -> Any:
        return run_script(self.env(), command, argument)


@dataclass
class Station:
    var_dir: Path
    sync_url: str
    token: str
    clock_skew: float = 0

    def env(self) -> dict[str, str]:
        env = base_env(self.var_dir) | {"HBM_SYNC_URL": self.sync_url, "HBM_SYNC_TOKEN": self.token}
        if self.clock_skew:
            env["HBM_TEST_CLOCK_SKEW"] = str(self.clock_skew)
        return env

    def hbm(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [HBM, *args], env=self.env(), capture_output=True, text=True, timeout=120
        )

    def sync(self, action: str, *args: str) -> subprocess.CompletedProcess[str]:
        return self.hbm("sync", action, *args)

    def script(self, command: str, argument: Any = None) -> Any:
        return run_script(self.env(), command, argument)


def national_database(database_url: str | None, template: Template) -> str | None:
    """A fresh national database from the template (PostgreSQL), or None (SQLite)."""
    if not database_url or template.pg_template is None:
        return None
    name = template.pg_template.removesuffix("_tpl")
    create_database(database_url, name, template=template.pg_template)
    return site_url(database_url, name)
