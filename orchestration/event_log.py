"""The Dagster instance of a data directory, with an event log that keeps its connections.

Dagster's ``SqliteEventLogStorage`` (the default) creates a SQLAlchemy engine, opens, commits,
closes and disposes it for every event it stores. A year's run stores ~2,000 events (one
materialization and one "planned" event per dbt model and partition, checks, steps), most of them
twice (the run's database and the cross-run index): that was a third of a run's fixed cost, in
connection set-up and statement compilation, not in writing. ``PooledSqliteEventLogStorage``
stores exactly the same rows in the same files, through one engine per database (SQLAlchemy's
own pool and statement cache), with ``synchronous=NORMAL`` under WAL: the database stays
consistent, a power cut may lose the last events of a run, never payroll data (written and
fsynced elsewhere). It is configured in ``DATA/dagster/dagster.yaml`` by ``write_instance_yaml``,
so ``kinerja run``, ``dagster dev`` and the daemon use the same storage.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

# run databases whose engine stays open (a long-lived webserver opens many runs; LRU beyond this)
MAX_OPEN_DATABASES = 8

_HEADER = "# written by kinerja (orchestration/event_log.py); edit freely, it is kept once edited\n"


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` with one pooled engine per database file (same rows, same files)."""

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        engine = create_engine(
            self.conn_string_for_shard(shard),
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        event.listen(engine, "connect", _pragmas)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > MAX_OPEN_DATABASES:
            _, oldest = self._engines.popitem(last=False)
            oldest.dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock, self._engine(shard).connect() as conn, conn.begin():
            yield conn

    def _close_engines(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        self._close_engines()  # the files are deleted: no connection may keep them open
        super().wipe()

    def delete_events(self, run_id: str) -> None:
        super().delete_events(run_id)
        with self._db_lock:
            engine = self._engines.pop(run_id, None)
        if engine is not None:
            engine.dispose()

    def dispose(self) -> None:
        self._close_engines()
        super().dispose()


def _pragmas(connection, _record) -> None:
    connection.execute("pragma synchronous = normal")


def instance_yaml(dagster_home: Path) -> str:
    """The ``dagster.yaml`` of a data directory: Dagster's SQLite defaults, pooled event log."""
    runs = dagster_home.resolve() / "history" / "runs"
    return (
        _HEADER
        + "event_log_storage:\n"
        + "  module: orchestration.event_log\n"
        + "  class: PooledSqliteEventLogStorage\n"
        + "  config:\n"
        + f"    base_dir: {str(runs)!r}\n"
        + "telemetry:\n"
        + "  enabled: false\n"
    )


def write_instance_yaml(dagster_home: Path) -> None:
    """Write (or refresh, when the data directory moved) ``dagster.yaml``; one edited by hand,
    without our header, is left as it is."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    path = dagster_home / "dagster.yaml"
    current = path.read_text() if path.exists() else ""
    if current.strip() and not current.startswith(_HEADER):
        return
    wanted = instance_yaml(dagster_home)
    if current != wanted:
        tmp = path.with_suffix(".yaml.tmp")
        tmp.write_text(wanted)
        os.replace(tmp, path)
