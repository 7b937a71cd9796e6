"""Shared fixtures: real stores (a SQLite file, a throwaway PostgreSQL cluster), the real
published spreadsheets, and a store loaded with the illustrative sample."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

# Before reform.config is imported: the tests' snapshot caches go to a temporary folder.
os.environ.setdefault("REFORM_CACHE_DIR", tempfile.mkdtemp(prefix="reform-cache-"))

import functools  # noqa: E402

import pytest  # noqa: E402
from streamlit.components.v2 import manifest_scanner  # noqa: E402

# Every new AppTest scans the metadata of every installed package for Streamlit components
# (0.2 s of CPU, half a second on two busy cores; a few hundred AppTests in the suite). The
# packages installed do not change while the tests run, so the scan is made once per process.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)

from reform.core import config  # noqa: E402
from reform.ingest.pipeline import parse_file  # noqa: E402
from reform.ingest.units import UnitRegistry  # noqa: E402
from reform.store.schema import meta_table  # noqa: E402
from reform.store.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT / "tests" / "realdata"
SAMPLE_DIR = ROOT / "data"
SAMPLE_FILES = ("sample_par.xlsx", "sample_sipas.xlsx", "sample_inspections.xlsx")


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The real published spreadsheets (PAPI, PCI, the 2025 crosswalk) copied into tests/realdata."""
    assert REALDATA.is_dir(), f"real spreadsheets expected in {REALDATA}"
    return REALDATA


def _without_id(store: Store) -> None:
    """Take out the id ``store`` gave itself when made, so that each copy of its file gives
    itself one of its own when first opened, as a store made afresh does."""
    with store.writing() as conn:
        conn.execute(meta_table.delete().where(meta_table.c.key == "instance"))
    store.engine.dispose()  # the last connection closed folds SQLite's WAL into the file


@pytest.fixture(scope="session")
def new_store_file(tmp_path_factory) -> Path:
    """A SQLite file as ``Store`` leaves a new one (its tables, the 3,449 units of the
    gazetteer), without its id. Making a store costs a third of a second of CPU, mostly
    seeding those units; a copy of this file, a millisecond, and a hundred tests want one."""
    path = tmp_path_factory.mktemp("new_store") / "reform.sqlite"
    _without_id(Store(f"sqlite:///{path}"))
    return path


@pytest.fixture
def sqlite_url(new_store_file: Path, tmp_path: Path) -> str:
    """The URL of a new embedded store of the test's own (a copy of ``new_store_file``)."""
    shutil.copy(new_store_file, tmp_path / "reform.sqlite")
    return f"sqlite:///{tmp_path / 'reform.sqlite'}"


@pytest.fixture
def store(sqlite_url: str) -> Store:
    """A fresh embedded store in a temporary SQLite file."""
    return Store(sqlite_url)


def _postgres_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster on a free loopback port, stopped after the session.

    PostgreSQL refuses to run as root, so as root the cluster runs as the 'postgres' user.
    """
    initdb, pg_ctl = _postgres_binary("initdb"), _postgres_binary("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    base = Path(tempfile.mkdtemp(prefix="reform-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    subprocess.run(as_user + [initdb, "-D", str(data), "-A", "trust", "-U", "reform", "-E", "UTF8",
                              "--no-sync"], check=True, capture_output=True)
    port = _free_port()
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(as_user + [pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "log"),
                              "-w", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://reform@127.0.0.1:{port}"
    finally:
        subprocess.run(as_user + [pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _create_database(server: str, name: str, template: str | None = None) -> str:
    """Create the database ``name`` in the cluster at ``server`` (a copy of ``template`` when
    given); returns its URL."""
    import psycopg

    dsn = server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return f"{server}/{name}"


@pytest.fixture(scope="session")
def new_postgres_database(postgres_server: str) -> str:
    """The name of a database as ``Store`` leaves a new one, without its id (see
    ``new_store_file``): PostgreSQL copies it as a template in a third of the time ``Store``
    takes to make its tables and seed the units over the wire. Nobody connects to it again
    (a template in use cannot be copied)."""
    name = "reform_new_store"
    _without_id(Store(_create_database(postgres_server, name)))
    return name


@pytest.fixture
def postgres_url(postgres_server: str, new_postgres_database: str) -> str:
    """A database of the test's own in the throwaway cluster, as a new store (a copy of
    ``new_postgres_database``)."""
    return _create_database(postgres_server, f"t_{uuid.uuid4().hex[:12]}", new_postgres_database)


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(request) -> Store:
    """The same tests on the embedded SQLite store and on a real PostgreSQL."""
    if request.param == "sqlite":
        return Store(request.getfixturevalue("sqlite_url"))
    return Store(request.getfixturevalue("postgres_url"))


def import_file(store: Store, path: Path, *, user: str = config.DEFAULT_USER, **options) -> int:
    """Parse and store one file; returns its version (the test fails on any error issue)."""
    parsed = parse_file(path.read_bytes(), path.name, UnitRegistry(store.units()), **options)
    errors = [i for i in parsed.issues if i.severity == "error"]
    assert not errors, errors[:3]
    return store.save(parsed.dataset({k: v for k, v in options.items() if v}), user=user).version


@pytest.fixture(scope="session")
def sample_db_url(tmp_path_factory) -> str:
    """A SQLite store holding the three illustrative sample workbooks (built once)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'reform.sqlite'}"
    sample_store = Store(url)
    for name in SAMPLE_FILES:
        import_file(sample_store, SAMPLE_DIR / name, user=config.SAMPLE_USER)
    sample_store.engine.dispose()  # closing the last connection checkpoints SQLite's WAL
    return url


@pytest.fixture
def sample_store(sample_db_url: str, tmp_path: Path) -> Store:
    """A private copy of the sample store, so a test may change it freely."""
    source = Path(sample_db_url.removeprefix("sqlite:///"))
    target = tmp_path / "sample.sqlite"
    shutil.copy(source, target)
    return Store(f"sqlite:///{target}")
