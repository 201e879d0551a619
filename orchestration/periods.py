"""Period lifecycle: DRAFT -> VERIFIED -> LOCKED, with who and when, kept in DATA/periode.sqlite.

- DRAFT: computed and maybe published; may change with every pipeline run.
- VERIFIED: someone checked the published files of the period (their fingerprint, a sha256 over
  the sha256 of every file of the period, koreksi included, the app's metric marts excepted, is
  recorded); a period can be verified again while it is not locked. A publish that changes
  those files shows the period as DRAFT again (manifest, app, payment lists) until it is verified
  again: nobody checked the new files, and lock refuses them.
- LOCKED: paid. Its published files never change again: publish carries them over untouched,
  and what a later recomputation would change becomes correction rows (``tpp_koreksi``) in the
  next open period (an app metric mart the period lacks is added once, ``orchestration.publish``). Nothing goes back from LOCKED (the database refuses it with a trigger).

This module is the status store (read by publish); the transitions verify and lock, which
republish, are in ``orchestration.lifecycle``.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass

from orchestration.core.formatting import WITA
from orchestration.core.paths import DataDir

DRAFT = "DRAFT"
VERIFIED = "VERIFIED"
LOCKED = "LOCKED"
STATUSES = (DRAFT, VERIFIED, LOCKED)

LABEL = {DRAFT: "DRAF", VERIFIED: "TERVERIFIKASI", LOCKED: "TERKUNCI"}

# why a period in the manifest's ``diblokir`` may not be verified, locked or paid (said by the
# lifecycle, ``kinerja export`` and the app)
DIBLOKIR = (
    "perhitungan terakhirnya punya temuan ERROR sehingga tidak diterbitkan; yang terbit masih "
    "versi sebelumnya"
)


SCHEMA = """
create table if not exists periode (
    periode  text primary key check (periode glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    status   text not null check (status in ('DRAFT', 'VERIFIED', 'LOCKED')),
    oleh     text not null,
    pada     text not null,
    snapshot text,
    sidik    text
);
create table if not exists riwayat (
    id       integer primary key autoincrement,
    periode  text not null,
    dari     text not null,
    ke       text not null,
    oleh     text not null,
    pada     text not null,
    snapshot text,
    sidik    text,
    catatan  text
);
create trigger if not exists periode_terkunci_tetap before update on periode
when old.status = 'LOCKED'
begin
    select raise(abort, 'periode sudah dikunci (LOCKED) dan tidak dapat diubah');
end;
create trigger if not exists periode_terkunci_tidak_dihapus before delete on periode
when old.status = 'LOCKED'
begin
    select raise(abort, 'periode sudah dikunci (LOCKED) dan tidak dapat dihapus');
end;
"""


class PeriodeError(RuntimeError):
    """A lifecycle step that is not allowed; the message is one sentence for people."""


@dataclass(frozen=True)
class StatusPeriode:
    periode: str
    status: str = DRAFT
    oleh: str | None = None
    pada: str | None = None
    snapshot: str | None = None
    sidik: str | None = None

    @property
    def locked(self) -> bool:
        return self.status == LOCKED

    def as_manifest(self) -> dict[str, str | None]:
        return {"status": self.status, "oleh": self.oleh, "pada": self.pada}


def now_wita() -> dt.datetime:
    return dt.datetime.now(WITA).replace(microsecond=0)


def default_oleh() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except Exception:  # no login name in a container: still record something honest
        return "tidak-diketahui"


@contextmanager
def _connect(data: DataDir) -> Iterator[sqlite3.Connection]:
    data.root.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(data.root / "periode.sqlite", timeout=30)) as con:
        con.row_factory = sqlite3.Row
        con.executescript(SCHEMA)
        yield con


def all_status(data: DataDir) -> dict[str, StatusPeriode]:
    """Every period that left DRAFT (a period not listed is DRAFT)."""
    if not (data.root / "periode.sqlite").exists():
        return {}
    with _connect(data) as con:
        rows = con.execute("select * from periode order by periode").fetchall()
    return {r["periode"]: StatusPeriode(**dict(r)) for r in rows}


def status(data: DataDir, periode: str) -> StatusPeriode:
    return all_status(data).get(periode, StatusPeriode(periode))


def locked_periods(data: DataDir) -> set[str]:
    return {p for p, s in all_status(data).items() if s.locked}


def history(data: DataDir, periode: str | None = None) -> list[dict[str, str | None]]:
    if not (data.root / "periode.sqlite").exists():
        return []
    with _connect(data) as con:
        query = "select * from riwayat" + (" where periode = ?" if periode else "") + " order by id"
        return [dict(r) for r in con.execute(query, (periode,) if periode else ())]


def record_transition(
    data: DataDir, new: StatusPeriode, old: StatusPeriode, catatan: str | None = None
) -> StatusPeriode:
    with _connect(data) as con, con:
        con.execute(
            "insert into periode (periode, status, oleh, pada, snapshot, sidik) "
            "values (?, ?, ?, ?, ?, ?) on conflict (periode) do update set status = excluded.status, "
            "oleh = excluded.oleh, pada = excluded.pada, snapshot = excluded.snapshot, "
            "sidik = excluded.sidik",
            (new.periode, new.status, new.oleh, new.pada, new.snapshot, new.sidik),
        )
        con.execute(
            "insert into riwayat (periode, dari, ke, oleh, pada, snapshot, sidik, catatan) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.periode,
                old.status,
                new.status,
                new.oleh,
                new.pada,
                new.snapshot,
                new.sidik,
                catatan,
            ),
        )
    return new
