"""The Daftar Nominatif of one department and period, built from a published snapshot only.

Every amount is a Python ``int`` (whole rupiah) and every total is a sum of those ints, so the
totals of every export format agree to the rupiah with ``tpp_bulanan`` of the snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from orchestration.core.published import AMOUNTS, KOREKSI, Snapshot, snapshot_time


@dataclass(frozen=True)
class Row:
    """One row of tpp_bulanan as finance reads it."""

    nip: str
    nama: str
    golongan: str
    jabatan: str
    kelas: int | None
    hari_kerja: int
    hari_efektif: int
    tk: int
    tl: int
    psw: int
    predikat: str | None
    persen_kinerja: Decimal | None
    persen_disiplin: Decimal | None
    jumlah: dict[str, int]  # AMOUNTS -> rupiah
    status: str = ""
    segmen: str = ""
    aturan_versi: str = ""


@dataclass(frozen=True)
class KoreksiRow:
    nip: str
    nama: str
    periode_asal: str
    alasan: str
    selisih: dict[str, int]  # AMOUNTS -> rupiah (may be negative)


@dataclass(frozen=True)
class Daftar:
    periode: str
    kode_opd: str
    nama_opd: str
    snapshot: str  # the snapshot that wrote the period's files (``Snapshot.source``)
    snapshot_created_at: str  # its time, ISO with the WITA offset
    status: dict[str, Any]  # status, oleh, pada as published
    baris: list[Row] = field(default_factory=list)
    koreksi: list[KoreksiRow] = field(default_factory=list)
    diblokir: bool = False  # the latest computation has an ERROR finding (``Snapshot.blocked``)

    @property
    def jumlah(self) -> dict[str, int]:
        return {a: sum(b.jumlah[a] for b in self.baris) for a in AMOUNTS}

    @property
    def jumlah_koreksi(self) -> dict[str, int]:
        return {a: sum(k.selisih[a] for k in self.koreksi) for a in AMOUNTS}

    @property
    def jumlah_dibayar(self) -> dict[str, int]:
        """TPP of the period plus the corrections paid with it."""
        return {a: self.jumlah[a] + self.jumlah_koreksi[a] for a in AMOUNTS}

    @property
    def status_periode(self) -> str:
        """The period's status as published: DRAFT (also when none is recorded), VERIFIED or
        LOCKED."""
        return self.status.get("status") or "DRAFT"

    @property
    def terkunci(self) -> bool:
        return self.status_periode == "LOCKED"


def _int(value: Any) -> int:
    return int(value) if value is not None else 0


def _sum(row: dict[str, Any], names: tuple[str, ...]) -> int:
    return sum(_int(row.get(n)) for n in names)


def _row(row: dict[str, Any]) -> Row:
    return Row(
        nip=row["nip"],
        nama=row.get("nama") or "",
        golongan=row.get("golongan") or "",
        jabatan=row.get("nama_jabatan") or row.get("jabatan") or "",
        kelas=row.get("kelas_jabatan"),
        hari_kerja=_int(row.get("hari_kerja")),
        hari_efektif=_int(row.get("hari_efektif")),
        tk=_int(row.get("tk")),
        tl=_sum(row, ("tl1", "tl2", "tl3", "tl4")),
        psw=_sum(row, ("psw1", "psw2", "psw3", "psw4")),
        predikat=row.get("predikat"),
        persen_kinerja=row.get("persen_kinerja"),
        persen_disiplin=row.get("persen_disiplin"),
        jumlah={a: _int(row.get(a)) for a in AMOUNTS},
        status=row.get("status") or "",
        segmen=row.get("segmen") or "",
        aturan_versi=row.get("aturan_versi") or "",
    )


def _koreksi(row: dict[str, Any]) -> KoreksiRow:
    return KoreksiRow(
        nip=row["nip"],
        nama=row.get("nama") or "",
        periode_asal=row["periode_asal"],
        alasan=row.get("alasan") or "",
        selisih={a: _int(row.get(f"selisih_{a}")) for a in AMOUNTS},
    )


def _order(frame: pl.DataFrame) -> pl.DataFrame:
    """Highest job class first, then by NIP: stable and familiar to finance."""
    if frame.is_empty():
        return frame
    by = [c for c in ("kelas_jabatan", "nip") if c in frame.columns]
    return frame.sort(by, descending=[c == "kelas_jabatan" for c in by], nulls_last=True)


def assemble(snapshot: Snapshot, periode: str, opd: list[str] | None = None) -> list[Daftar]:
    """One Daftar per department paying TPP or koreksi in ``periode`` (all, or those in ``opd``)."""
    tpp = snapshot.read("tpp_bulanan", [periode], opd)
    koreksi = snapshot.read(KOREKSI, [periode], opd)
    names: dict[str, str] = {}
    for frame in (koreksi, tpp):
        if not frame.is_empty() and "nama_opd" in frame.columns:
            names.update(dict(frame.select("kode_opd", "nama_opd").unique().iter_rows()))
    codes = set(tpp["kode_opd"].to_list() if not tpp.is_empty() else [])
    codes |= set(koreksi["kode_opd"].to_list() if not koreksi.is_empty() else [])
    status = {k: snapshot.period(periode).get(k) for k in ("status", "oleh", "pada")}
    sumber = snapshot.source(periode)
    out = []
    for kode in sorted(codes):
        rows = _order(tpp.filter(pl.col("kode_opd") == kode)) if not tpp.is_empty() else tpp
        fixes = (
            koreksi.filter(pl.col("kode_opd") == kode).sort("periode_asal", "nip")
            if not koreksi.is_empty()
            else koreksi
        )
        out.append(
            Daftar(
                periode=periode,
                kode_opd=kode,
                nama_opd=names.get(kode) or kode,
                snapshot=sumber,
                snapshot_created_at=snapshot_time(sumber),
                status=status,
                baris=[_row(r) for r in rows.iter_rows(named=True)],
                koreksi=[_koreksi(r) for r in fixes.iter_rows(named=True)],
                diblokir=periode in snapshot.blocked,
            )
        )
    return out
