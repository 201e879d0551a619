"""Analysts' decisions on anomaly flags, audited, and the precision per rule they give.

The store behind issue 20's "analysts' decisions recorded" (the app's form is not part of this
folder): ``DATA/models/keputusan.sqlite``, table ``keputusan``, **append-only** (triggers refuse
UPDATE and DELETE): every decision is a new row with who, when and a note, and the decision
in force for a flag is its latest row. A flag is (periode, nip, aturan), ``aturan`` being a rule
name of ``models/anomaly_rules.py`` or ``model_isolation_forest``.

Decisions: ``DIKONFIRMASI`` (the pattern was what the rule says: a true flag),
``DIJELASKAN`` (real pattern, legitimate reason: a roster, a letter, a broken device),
``DITOLAK`` (the flag is wrong: data error, misread). Precision per rule =
DIKONFIRMASI / decided, with a 95 % Wilson interval; DIJELASKAN counts as not confirmed, and its
share shows where a rule needs context (schedules, letters) rather than a tighter threshold.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from models.evaluate import wilson
from models.registry import folder
from orchestration.core.paths import DataDir

KEPUTUSAN = ("DIKONFIRMASI", "DIJELASKAN", "DITOLAK")
_SKEMA = """
create table if not exists keputusan (
    id integer primary key autoincrement,
    periode text not null,
    nip text not null,
    aturan text not null,
    kasus_id text,
    keputusan text not null check (keputusan in ('DIKONFIRMASI', 'DIJELASKAN', 'DITOLAK')),
    catatan text not null check (length(trim(catatan)) > 0),
    oleh text not null check (length(trim(oleh)) > 0),
    waktu text not null,
    versi_model text
);
create trigger if not exists keputusan_tanpa_ubah before update on keputusan
begin select raise(abort, 'keputusan tidak boleh diubah: catat keputusan baru'); end;
create trigger if not exists keputusan_tanpa_hapus before delete on keputusan
begin select raise(abort, 'keputusan tidak boleh dihapus'); end;
"""


def path(data: DataDir) -> Path:
    return folder(data) / "keputusan.sqlite"


def _open(data: DataDir) -> sqlite3.Connection:
    p = path(data)
    p.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(p)
    con.executescript(_SKEMA)
    return con


def record(
    data: DataDir,
    periode: str,
    nip: str,
    aturan: str,
    keputusan: str,
    catatan: str,
    oleh: str,
    kasus_id: str | None = None,
    versi_model: str | None = None,
) -> int:
    """Record one decision (a new row, never an update); returns its id."""
    if keputusan not in KEPUTUSAN:
        raise ValueError(f"keputusan harus salah satu dari {KEPUTUSAN}, bukan {keputusan!r}")
    waktu = datetime.now(UTC).isoformat(timespec="seconds")
    with closing(_open(data)) as con, con:
        cur = con.execute(
            "insert into keputusan (periode, nip, aturan, kasus_id, keputusan, catatan, oleh,"
            " waktu, versi_model) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (periode, nip, aturan, kasus_id, keputusan, catatan, oleh, waktu, versi_model),
        )
        return int(cur.lastrowid)


def history(data: DataDir) -> pl.DataFrame:
    """Every decision ever recorded, oldest first (the audit trail)."""
    if not path(data).exists():
        return pl.DataFrame(
            schema={
                "id": pl.Int64,
                "periode": pl.String,
                "nip": pl.String,
                "aturan": pl.String,
                "kasus_id": pl.String,
                "keputusan": pl.String,
                "catatan": pl.String,
                "oleh": pl.String,
                "waktu": pl.String,
                "versi_model": pl.String,
            }
        )
    with closing(_open(data)) as con:
        cur = con.execute("select * from keputusan order by id")
        cols = [d[0] for d in cur.description]
        return pl.DataFrame(cur.fetchall(), schema=cols, orient="row")


def current(data: DataDir) -> pl.DataFrame:
    """The decision in force per flag (periode, nip, aturan): its latest row."""
    r = history(data)
    return r.sort("id").group_by("periode", "nip", "aturan", maintain_order=True).last()


def precision_per_rule(data: DataDir) -> pl.DataFrame:
    """Per rule: decided flags, confirmed / explained / dismissed, precision with its Wilson
    interval (null when nothing was decided)."""
    t = current(data)
    rows = []
    for (rule,), g in t.group_by("aturan"):
        n = g.height
        k = int((g["keputusan"] == "DIKONFIRMASI").sum())
        lo, hi = wilson(k, n)
        rows.append(
            {
                "aturan": rule,
                "diputuskan": n,
                "dikonfirmasi": k,
                "dijelaskan": int((g["keputusan"] == "DIJELASKAN").sum()),
                "ditolak": int((g["keputusan"] == "DITOLAK").sum()),
                "presisi": k / n if n else None,
                "ci_bawah": lo,
                "ci_atas": hi,
            }
        )
    schema = {
        "aturan": pl.String,
        "diputuskan": pl.Int64,
        "dikonfirmasi": pl.Int64,
        "dijelaskan": pl.Int64,
        "ditolak": pl.Int64,
        "presisi": pl.Float64,
        "ci_bawah": pl.Float64,
        "ci_atas": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema).sort("aturan")
