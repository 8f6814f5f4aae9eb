import os

import pytest

from hbm.referrals.models import Pathway, Provider, ServiceType
from tests.backups.sites import create_database, drop_database, site_url
from tests.factories import AgencyFactory, UserFactory
from tests.registry.helpers import register
from tests.sync.proxy import FaultyLink
from tests.sync.sites import National, Station, Template, base_env, migrate, national_database

AMINA = {"given_name": "Amina", "family_name": "Yusuf", "sex": "F", "date_of_birth": "1990"}
STATION_ROLES = ["field_station", "registration_officer"]
POINTS = ["north-gate", "south-gate"]
ACCOUNTS = {
    "station-a": {"roles": STATION_ROLES, "points": ["north-gate"]},
    "station-b": {"roles": STATION_ROLES, "points": ["north-gate"]},
    "station-south": {"roles": STATION_ROLES, "points": ["south-gate"]},
    "officer-north": {"roles": ["registration_officer"], "points": ["north-gate"]},
}


@pytest.fixture(scope="session")
def site_template(tmp_path_factory):
    """Migrated once per session: a SQLite file, and a PostgreSQL template database when the
    suite runs on PostgreSQL (named after this worktree's database)."""
    sqlite_dir = tmp_path_factory.mktemp("template")
    migrate(base_env(sqlite_dir))
    database_url = os.environ.get("DATABASE_URL")
    pg_template = None
    if database_url:
        # Each xdist worker needs its own template (PYTEST_XDIST_WORKER: gw0, gw1, ...).
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        name = database_url.rsplit("/", 1)[1].split("?")[0] + f"{worker}_national_tpl"
        create_database(database_url, name)
        migrate(
            base_env(tmp_path_factory.mktemp("pg")) | {"DATABASE_URL": site_url(database_url, name)}
        )
        pg_template = name
    yield Template(sqlite_dir=sqlite_dir, pg_template=pg_template)
    if pg_template and database_url:
        drop_database(database_url, pg_template)
        drop_database(database_url, pg_template.removesuffix("_tpl"))


@pytest.fixture
def national(site_template, tmp_path):
    database_url = national_database(os.environ.get("DATABASE_URL"), site_template)
    server = National(var_dir=tmp_path / "national", database_url=database_url)
    site_template.sqlite_into(server.var_dir)
    server.tokens = server.script("national-setup", {"points": POINTS, "accounts": ACCOUNTS})
    server.start()
    yield server
    server.kill()


@pytest.fixture
def link(national):
    proxy = FaultyLink(national.port)
    yield proxy
    proxy.close()


@pytest.fixture
def make_station(national, link, site_template, tmp_path):
    """A field station with the token of one station account, linked through the proxy,
    that has pulled the reference data and has a local officer."""

    def make(account: str = "station-a", **kwargs) -> Station:
        station = Station(
            var_dir=tmp_path / account, sync_url=link.url, token=national.tokens[account], **kwargs
        )
        site_template.sqlite_into(station.var_dir)
        pulled = station.sync("pull")
        assert pulled.returncode == 0, pulled.stderr
        return station

    return make


@pytest.fixture
def station(immigration, point_a):
    """In process, on the national server: a station's account at point A."""
    return UserFactory(
        username="station-a",
        agency=immigration,
        roles=["field_station", "registration_officer"],
        crossing_points=[point_a],
    )


@pytest.fixture
def amina(officer_amina):
    (person,) = register(officer_amina, AMINA)
    return person


@pytest.fixture
def provider(point_a):
    """A child protection provider on the pathway of point A."""
    service = ServiceType.objects.get(code="child-protection")
    agency = AgencyFactory(code="icpn", name="Ituri Child Protection Network", kind="ngo")
    provider = Provider.objects.create(name="ICPN Mahagi", agency=agency)
    provider.service_types.add(service)
    Pathway.objects.create(crossing_point=point_a, service_type=service, provider=provider)
    return provider
