"""Every bad export of the corpus, ingested for real: rejected or quarantined with file, line and
reason; valid rows kept and counted; nothing invalid in the raw zone dbt reads.

Each case is ingested by ``orchestration.ingest.ingest_period`` into its own data directory,
exactly as a pipeline run does (read, validate, archive, raw zone, quarantine, registry).
"""

from __future__ import annotations

import json
import sqlite3

import polars as pl
import pytest

from orchestration.core.paths import DataDir
from orchestration.ingest import ingest_period

from .corpus import PERIODE, Case, build

CASES = build()


def test_the_corpus_is_broad():
    kinds = {c.kind for c in CASES}
    assert kinds == {"pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas"}
    assert len(CASES) >= 25
    assert sum(c.ditolak is not None for c in CASES) >= 10
    assert sum(bool(c.karantina) and c.ditolak is None for c in CASES) >= 10


def _ingest(case: Case, tmp_path):
    exports = tmp_path / "ekspor"
    exports.mkdir()
    (exports / case.name).write_bytes(case.content)
    data = DataDir(tmp_path / "data")
    return data, ingest_period(data, exports, case.kind, PERIODE)


def _registry(data: DataDir) -> dict:
    con = sqlite3.connect(data.registry)
    con.row_factory = sqlite3.Row
    try:
        return dict(con.execute("select * from files").fetchone())
    finally:
        con.close()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, tmp_path):
    data, result = _ingest(case, tmp_path)
    row = _registry(data)
    assert row["file_name"] == case.name

    if case.ditolak:
        # the whole file is rejected with a clear, file-level reason; nothing is loaded
        assert result.action == "rejected", result.message
        assert row["result"] == "REJECTED" and row["kode_alasan"] == case.ditolak
        assert not data.raw_file(case.kind, PERIODE).exists()
        quarantine = pl.read_parquet(data.rejected_quarantine_file(case.kind, PERIODE))
        file_level = quarantine.filter(pl.col("line_no") == 0)
        assert file_level.height == 1
        finding = file_level.row(0, named=True)
        assert finding["kode_alasan"] == case.ditolak
        assert finding["source_file"] == case.name and finding["periode"] == PERIODE
        assert case.name in finding["alasan"]
        for fragment in case.sebut:
            assert fragment in finding["alasan"], (fragment, finding["alasan"])
        assert case.ditolak in result.message or finding["alasan"].rstrip(".") in result.message
        rows = quarantine.filter(pl.col("line_no") > 0)
    else:
        assert result.action == "loaded", result.message
        assert row["result"] == "LOADED"
        loaded = pl.read_parquet(data.raw_file(case.kind, PERIODE))
        # valid rows are kept, with their own line numbers and the file's name
        assert loaded["line_no"].to_list() == list(case.dimuat)
        assert set(loaded["source_file"]) <= {case.name}
        for line, column, value in case.periksa:
            got = loaded.filter(pl.col("line_no") == line)[column].item()
            got = got.isoformat() if hasattr(got, "isoformat") else got
            assert got == value, (line, column, got)
        rows = pl.read_parquet(data.quarantine_file(case.kind, PERIODE))
        assert not data.rejected_quarantine_file(case.kind, PERIODE).exists()

    # every bad row: one quarantine row naming file, line, column and the offending value
    expected = {(b.line, b.kode, b.kolom) for b in case.karantina}
    got = {(r["line_no"], r["kode_alasan"], r["kolom"]) for r in rows.iter_rows(named=True)}
    assert got == expected
    by_line = {r["line_no"]: r for r in rows.iter_rows(named=True)}
    for bad in case.karantina:
        r = by_line[bad.line]
        assert r["source_file"] == case.name and r["kind"] == case.kind
        assert r["periode"] == PERIODE
        assert bad.sebut in r["alasan"], (bad, r["alasan"])
        assert r["nilai"] is not None or bad.kode == "WAJIB_KOSONG"

    # nothing disappears: every data row is loaded, quarantined or an exact duplicate
    counts = result.counts
    if not case.ditolak:
        assert counts == {
            "read": len(case.dimuat) + len(case.karantina) + len(case.duplikat),
            "loaded": len(case.dimuat),
            "quarantined": len(case.karantina),
            "duplicates": len(case.duplikat),
        }
    assert (row["n_loaded"], row["n_quarantined"], row["n_duplicates"]) == (
        counts["loaded"],
        counts["quarantined"],
        counts["duplicates"],
    )
    notes = " ".join(json.loads(row["notes"]))
    for fragment in case.catatan:
        assert fragment in notes, (fragment, notes)
    assert len(result.errors) == case.errors
    # the original bytes are archived whatever the outcome
    assert (data.archive / f"{row['sha256']}.{case.ext}").read_bytes() == case.content


def test_a_rejected_file_never_replaces_good_data(tmp_path):
    """A garbage correction for a period that already loaded keeps the loaded rows."""
    good = next(c for c in CASES if c.id == "absensi_crlf_bom_quoted")
    garbage = next(c for c in CASES if c.id == "absensi_garbage_quotes")
    data, first = _ingest(good, tmp_path)
    before = data.raw_file("absensi", PERIODE).read_bytes()
    (tmp_path / "ekspor" / good.name).write_bytes(garbage.content)
    second = ingest_period(data, tmp_path / "ekspor", "absensi", PERIODE)
    assert (first.action, second.action) == ("loaded", "rejected")
    assert data.raw_file("absensi", PERIODE).read_bytes() == before
    assert "tetap dari berkas" in second.message
