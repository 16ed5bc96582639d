"""A throwaway PostgreSQL server for the workspace tests, and `store` fixtures over SQLite and PostgreSQL.

The server is the Debian `postgresql` package's own binaries (no mocks): `initdb` into a temporary folder,
`pg_ctl start` listening only on a Unix socket in that folder (no port to clash with), as the `postgres` user
when the tests run as root. It starts once per test process on first use and stops when the process ends.
On a laptop without PostgreSQL the PostgreSQL cases skip; with CI=true they fail (scripts/setup.sh --dev
installs the package).
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import IN_CI

BACKENDS = ("sqlite", "postgresql")


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class PostgresServer:
    """initdb + pg_ctl in a temporary folder; `url(db)` for a database on it."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="modeller-pg-"))
        self.data = self.folder / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.folder, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.names = itertools.count(1)
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-sync", "--locale=C.UTF-8")
        options = f"-c listen_addresses='' -c unix_socket_directories={self.folder} -c fsync=off " \
                  "-c max_connections=60 -c full_page_writes=off"
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "-t", "60", "start")
        atexit.register(self.stop)

    def _run(self, *args) -> None:
        done = subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}"

    def fresh_database(self) -> str:
        """The URL of a new empty schema, first on the search path (each test starts from nothing; a schema
        takes milliseconds where CREATE DATABASE takes a second)."""
        import psycopg

        name = f"t{os.getpid()}_{next(self.names)}"
        with psycopg.connect(f"host={self.folder} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return f"{self.url()}&options=-csearch_path%3D{name}"

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run([*self.as_user, _pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                            "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


_SERVER: list[PostgresServer] = []


def postgres() -> PostgresServer:
    """The test process's PostgreSQL server, started on first use; skip (fail in CI) without PostgreSQL."""
    if not _SERVER:
        if not (_pg_bin("initdb") and _pg_bin("pg_ctl")):
            if IN_CI:
                pytest.fail("PostgreSQL (initdb, pg_ctl) is required in CI but is not installed; "
                            "scripts/setup.sh --dev installs the Debian postgresql package")
            pytest.skip("PostgreSQL is not installed (scripts/setup.sh --dev installs it)")
        _SERVER.append(PostgresServer())
    return _SERVER[0]


def fresh_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.sqlite3'}"
    return postgres().fresh_database()


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> str:
    """An empty database on each backend."""
    return fresh_url(request.param, tmp_path)


@pytest.fixture
def store(store_url):
    from modeller.workspace import Store

    opened = Store.open(store_url)
    yield opened
    opened.close()


# ---- the MSK example, edited by field rather than by its text (the example's wording may change) ------------

MSK = (Path(__file__).resolve().parents[1] / "scenarios" / "msk_prime_provider.yaml").read_text(encoding="utf-8")


def msk_data() -> dict:
    from modeller.scenario_io import load_scenario, scenario_to_data

    return scenario_to_data(load_scenario(MSK))


def as_text(data: dict) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def role(data: dict, ident: str) -> dict:
    return next(r for r in data["workforce"]["roles"] if r["id"] == ident)


def edited(salary: float) -> str:
    """The MSK example with the employed band 6 physios' salary changed (£40,823 in the file)."""
    data = msk_data()
    assert role(data, "physio")["salary"] == 40823
    role(data, "physio")["salary"] = salary
    return as_text(data)


def physio_salary(text: str) -> float:
    import yaml

    return role(yaml.safe_load(text), "physio")["salary"]
