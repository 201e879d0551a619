"""Period lifecycle DRAFT -> VERIFIED -> LOCKED: rules, who and when, the CLI."""

from __future__ import annotations

import sqlite3

import duckdb
import pytest
from test_publish_support import ANA, build_warehouse, change, published, scenario

from orchestration import lifecycle, periods
from orchestration.cli import main
from orchestration.core.paths import DataDir
from orchestration.core.published import current_snapshot
from orchestration.periods import LOCKED, VERIFIED, PeriodeError
from orchestration.publish import publish

PERIODS = ["2025-02", "2025-03"]


@pytest.fixture
def data(tmp_path) -> DataDir:
    return published(DataDir(tmp_path / "data"), PERIODS)


def test_cannot_verify_or_lock_what_is_not_published(tmp_path, data):
    with pytest.raises(PeriodeError, match="belum diterbitkan"):
        lifecycle.verify(data, "2025-07", "Budi")
    with pytest.raises(PeriodeError, match="belum diterbitkan"):
        lifecycle.lock(data, "2025-07", "Budi")
    empty = DataDir(tmp_path / "kosong")
    with pytest.raises(PeriodeError, match="belum diterbitkan"):
        lifecycle.lock(empty, "2025-03", "Budi")
    assert periods.status(data, "2025-07").status == "DRAFT"


def test_lock_needs_a_verification_of_exactly_the_published_data(data):
    with pytest.raises(PeriodeError, match="belum diverifikasi"):
        lifecycle.lock(data, "2025-03", "Maria")
    verified = lifecycle.verify(data, "2025-03", "Budi")
    assert verified.status == VERIFIED and verified.oleh == "Budi"
    assert current_snapshot(data).status("2025-03") == VERIFIED  # manifest shows it

    # the data change after verification: locking what nobody checked is refused
    corrected = scenario(*PERIODS)
    corrected["2025-03"] = change(corrected["2025-03"], ANA.nip, tk=2)
    build_warehouse(data, corrected)
    publish(data, ["2025-03"])
    with pytest.raises(PeriodeError, match="berubah sejak diverifikasi"):
        lifecycle.lock(data, "2025-03", "Maria")

    lifecycle.verify(data, "2025-03", "Budi")
    locked = lifecycle.lock(data, "2025-03", "Maria")
    assert locked.status == LOCKED and locked.oleh == "Maria" and locked.pada.endswith("+08:00")
    entry = current_snapshot(data).period("2025-03")
    assert (entry["status"], entry["oleh"]) == (LOCKED, "Maria")


def test_nothing_goes_back_from_locked(data):
    lifecycle.verify(data, "2025-03", "Budi")
    lifecycle.lock(data, "2025-03", "Maria")
    with pytest.raises(PeriodeError, match="sudah dikunci"):
        lifecycle.verify(data, "2025-03", "Budi")
    with pytest.raises(PeriodeError, match="sudah dikunci"):
        lifecycle.lock(data, "2025-03", "Budi")
    with sqlite3.connect(data.root / "periode.sqlite") as con:  # not even behind our back
        with pytest.raises(sqlite3.IntegrityError, match="dikunci"):
            con.execute("update periode set status = 'DRAFT' where periode = '2025-03'")
        with pytest.raises(sqlite3.IntegrityError, match="dikunci"):
            con.execute("delete from periode where periode = '2025-03'")
    assert periods.status(data, "2025-03").status == LOCKED
    assert periods.locked_periods(data) == {"2025-03"}


def test_history_records_who_and_when(data):
    lifecycle.verify(data, "2025-02", "Budi")
    lifecycle.verify(data, "2025-02", "Yosef")
    lifecycle.lock(data, "2025-02", "Maria")
    steps = [(h["dari"], h["ke"], h["oleh"]) for h in periods.history(data, "2025-02")]
    assert steps == [
        ("DRAFT", "VERIFIED", "Budi"),
        ("VERIFIED", "VERIFIED", "Yosef"),
        ("VERIFIED", "LOCKED", "Maria"),
    ]
    assert all(h["pada"].endswith("+08:00") and h["snapshot"] for h in periods.history(data))


def test_a_period_with_error_findings_is_not_published_verified_or_locked(data):
    with duckdb.connect(str(data.warehouse)) as con:
        con.execute(
            "insert into main.temuan values ('2025-03', 'ERROR', 'NIP_GANDA', ?, '4.01.01', "
            "'pegawai_202503.xlsx', 9, 'NIP muncul dua kali.')",
            [ANA.nip],
        )
    lifecycle.verify(data, "2025-03", "Budi")  # what is published now
    before = current_snapshot(data).file_entry("tpp_bulanan", "2025-03")
    result = publish(data, ["2025-03"])
    # not published from a computation with an ERROR finding: the version before stays, blocked
    assert result.blocked == ["2025-03"] and result.written == []
    snapshot = current_snapshot(data)
    assert snapshot.blocked == ["2025-03"]
    assert snapshot.file_entry("tpp_bulanan", "2025-03")["sha256"] == before["sha256"]
    for step in (lifecycle.verify, lifecycle.lock):
        with pytest.raises(PeriodeError, match="diblokir: perhitungan terakhirnya punya temuan"):
            step(data, "2025-03", "Maria")
    publish(data, [])  # a republish (after verify or lock) keeps it blocked
    assert current_snapshot(data).blocked == ["2025-03"]
    with duckdb.connect(str(data.warehouse)) as con:  # the source corrected, computed again
        con.execute("delete from main.temuan where tingkat = 'ERROR'")
    assert publish(data, ["2025-03"]).written == ["2025-03"]
    assert current_snapshot(data).blocked == []


def test_cli_verify_and_lock_default_to_the_login_name(data, monkeypatch, capsys):
    monkeypatch.setenv("USER", "bendahara01")
    root = str(data.root)
    assert main(["lock", "--data", root, "--periode", "2025-02"]) == 1
    assert "belum diverifikasi" in capsys.readouterr().err
    assert main(["verify", "--data", root, "--periode", "2025-02", "--oleh", "Budi"]) == 0
    assert main(["lock", "--data", root, "--periode", "2025-02"]) == 0
    assert "TERKUNCI" in capsys.readouterr().out
    assert periods.status(data, "2025-02").oleh == "bendahara01"
    assert main(["lock", "--data", root, "--periode", "2025-09"]) == 1
    assert "belum diterbitkan" in capsys.readouterr().err
