"""Where the workspace database is, how to connect to it, its migrations, and plain words for its failures."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    SQLAlchemyError,
)

from modeller.workspace.errors import StorageUnavailable

FILE_NAME = "workspace.sqlite3"
HERE = Path(__file__).resolve().parent
BUSY_SECONDS = 10.0   # how long a save waits for another writer before saying the database is busy


def data_dir() -> Path:
    """The data folder: MODELLER_DATA_DIR, else ./data."""
    return Path(os.environ.get("MODELLER_DATA_DIR") or "data")


def default_url() -> str:
    """MODELLER_DATABASE_URL when set, else an SQLite file in the data folder."""
    return os.environ.get("MODELLER_DATABASE_URL") or f"sqlite:///{data_dir() / FILE_NAME}"


def shown(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return (parsed.database or "memory").removeprefix("file:")   # the file a person can find
        return parsed.render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "the configured database"


def make_engine(url: str, busy_seconds: float = BUSY_SECONDS) -> Engine:
    """An engine for `url`. On SQLite, writes take the write lock when they begin (BEGIN IMMEDIATE), so two
    writers queue instead of failing half-way, and foreign keys are enforced."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageUnavailable(f"The workspace database address {url!r} is not a database URL; "
                                 "set MODELLER_DATABASE_URL to e.g. postgresql+psycopg://user@host/db.") from None
    if parsed.get_backend_name() == "sqlite":
        _make_sqlite_folder(url)
        engine = create_engine(parsed, connect_args={"timeout": busy_seconds, "check_same_thread": False})
        _sqlite_transactions(engine)
        return engine
    try:
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=_connect_args(parsed, busy_seconds))
    except (NoSuchModuleError, ImportError) as exc:
        raise StorageUnavailable(f"The database driver for {shown(url)} is not installed ({exc}); "
                                 "use postgresql+psycopg:// and run scripts/setup.sh.") from None
    if parsed.get_backend_name() == "postgresql":
        _lock_timeout(engine, busy_seconds)
    return engine


def _lock_timeout(engine: Engine, busy_seconds: float) -> None:
    """A save waits at most `busy_seconds` for another's lock, then says the database is busy (not hang)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {max(1, int(busy_seconds * 1000))}")
        dbapi_connection.commit()


def _connect_args(parsed, busy_seconds: float) -> dict:
    if parsed.get_backend_name() == "postgresql":
        return {"connect_timeout": max(1, int(busy_seconds))}
    return {}


def _make_sqlite_folder(url: str) -> None:
    """Create the default data folder on first run (an explicitly configured URL's folder is not created)."""
    if os.environ.get("MODELLER_DATABASE_URL") == url or url != default_url():
        return
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageUnavailable(f"The workspace folder {folder} cannot be created ({exc.strerror}); "
                                 "set MODELLER_DATA_DIR to a folder you can write to.") from None


def _sqlite_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy's begin event below issues BEGIN itself
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        try:
            # write-ahead log: one fsync a commit (synchronous FULL keeps every commit on power loss) and readers
            # never wait for a writer; kept in the file, so this is a no-op after the first time
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            dbapi_connection.execute("PRAGMA synchronous = FULL")
        except sqlite3.OperationalError:
            pass  # a read-only or busy file: it is reported plainly by the first statement that needs it

    @event.listens_for(engine, "begin")
    def _begin(conn):
        write = conn.get_execution_options().get("workspace_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (Alembic `upgrade head`), one process at a time."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(HERE / "alembic.ini"))
    config.set_main_option("script_location", str(HERE / "migrations"))
    with engine.execution_options(workspace_write=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(1300013)"))  # two servers starting at once
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def unavailable(exc: Exception, where: str) -> StorageUnavailable:
    """A plain sentence for a database failure."""
    detail = str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0] if str(exc) else type(exc).__name__
    low = detail.lower()
    if "readonly" in low or "read-only" in low or "read only" in low:
        why = "is read-only, so nothing can be saved; ask for write access or set MODELLER_DATA_DIR"
    elif "locked" in low or "busy" in low or "lock timeout" in low:
        why = "is busy (another program holds a lock on it); try again in a moment"
    elif "connection" in low or "connect" in low or "could not translate host" in low:
        why = "cannot be reached; check the server is running and MODELLER_DATABASE_URL"
    elif "unable to open" in low or "no such file" in low:
        why = "cannot be opened (its folder is missing or not accessible); check MODELLER_DATA_DIR"
    else:
        why = f"failed ({detail})"
    return StorageUnavailable(f"The workspace database at {where} {why}. Your scenario is still open here "
                              "and nothing was saved; download the YAML to keep a copy.")


@contextmanager
def guarded(where: str):
    """Turn a database failure (not a constraint clash, which callers handle) into StorageUnavailable."""
    try:
        yield
    except IntegrityError:
        raise
    except (DBAPIError, SQLAlchemyError, OSError) as exc:
        raise unavailable(exc, where) from exc
