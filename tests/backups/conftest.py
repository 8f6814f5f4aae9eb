"""The source site: migrated, the demo scenario loaded, its index snapshot saved, a media file
uploaded, and backed up once for the whole package (about 15 seconds)."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.backups.sites import Site, create_database, drop_database, site_url

PHOTO = "photos/2026/12/amina.jpg"


@dataclass
class Source:
    site: Site
    archive: Path
    counts_at_backup: dict[str, int]
    counts_after_backup: dict[str, int]


@pytest.fixture(scope="session")
def database_names(django_db_setup):
    """Databases for the sites, named from the test database (PostgreSQL only)."""
    base = Path(str(connection.settings_dict["NAME"])).stem
    made: list[str] = []

    def fresh(suffix: str) -> str | None:
        name = f"{base}_{suffix}"
        if settings.DATABASE_URL:
            create_database(settings.DATABASE_URL, name)
            made.append(name)
        return site_url(settings.DATABASE_URL, name)

    yield fresh
    for name in made:
        drop_database(settings.DATABASE_URL, name)


@pytest.fixture(scope="session")
def source(tmp_path_factory, database_names):
    site = Site(tmp_path_factory.mktemp("source") / "var", database_names("backup_source"))
    for args in (
        ["migrate", "-v0"],
        ["demo", "load", "--scale", "0.02", "-v0"],
        ["person_index", "save"],
    ):
        done = site.hbm(*args)
        assert done.returncode == 0, done.stderr
    photo = site.var_dir / "media" / PHOTO
    photo.parent.mkdir(parents=True)
    photo.write_bytes(bytes(range(256)) * 1000)
    counts = site.counts()
    archive = site.var_dir.parent / "backup.tar.gz"
    done = site.hbm("backup", "--output", str(archive))
    assert done.returncode == 0, done.stderr
    return Source(site, archive, counts_at_backup=counts, counts_after_backup=site.counts())


@pytest.fixture
def target(tmp_path, database_names):
    """A fresh site: no table, no media, to restore into."""
    return Site(tmp_path / "var", database_names("backup_target"))


@pytest.fixture
def var_dir(tmp_path, settings):
    """This process's var/ in a temporary folder, with a media file to see left alone."""
    var = tmp_path / "var"
    settings.VAR_DIR = var
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": var / "media"},
        },
    }
    (var / "media").mkdir(parents=True)
    (var / "media" / "own.txt").write_text("own")
    return var
