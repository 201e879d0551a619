"""The candidate rulebook of a what-if: a base version and overrides, written as a new
version into a copy of the rulebook seeds (the shipped seeds are never edited)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from orchestration.core.paths import TRANSFORMS_DIR

# what a candidate may change in a deduction code's row (aturan_potongan): its minute band and
# its points (a regional preset of minute-sum deductions: poin_per_menit)
POTONGAN_KOLOM = ("menit_min", "menit_max", "poin", "poin_per_menit")
# a weekday of a weekly pattern (aturan_jam_kerja) and a shift code (aturan_shift): their hours
JAM_KOLOM = ("jam_masuk", "jam_pulang", "jam_pemisah")
SHIFT_KOLOM = ("jam_masuk", "jam_pulang")
_JAM = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")

SEED_TABLES = (
    "aturan_versi",
    "aturan_jam_kerja",
    "aturan_potongan",
    "aturan_predikat",
    "aturan_status",
    "aturan_pph21",
    "aturan_basis",
    "aturan_pola_opd",
    "aturan_shift",
)


class WhatIfError(RuntimeError):
    """The candidate rulebook or the run is not usable; the message says why (Bahasa Indonesia)."""


@dataclass
class AturanUsulan:
    """A candidate rulebook: base version + overrides (see transforms/whatif/contoh_aturan.yaml)."""

    nama: str
    dasar: str = "default-2024"
    keterangan: str = ""
    versi: dict[str, Any] = field(default_factory=dict)  # aturan_versi columns
    predikat: dict[str, Any] = field(default_factory=dict)  # predikat -> persen_kinerja
    status: dict[str, Any] = field(default_factory=dict)  # status -> persen_basis
    pph21: list[dict[str, Any]] = field(default_factory=list)  # {kelompok, golongan, tarif}
    basis: list[dict[str, Any]] = field(default_factory=list)  # {kode_opd, kelas_jabatan, basis}
    basis_skala: list[dict[str, Any]] = field(
        default_factory=list
    )  # {kelas_dari, kelas_sampai, persen[, kode_opd]}
    potongan: dict[str, Any] = field(default_factory=dict)  # kode -> {POTONGAN_KOLOM: nilai}
    # weekly hours per pattern: {pola, hari, ramadan, jam_masuk, jam_pulang, jam_pemisah, libur}
    jam_kerja: list[dict[str, Any]] = field(default_factory=list)
    shift: dict[str, Any] = field(default_factory=dict)  # kode_shift -> {jam_masuk, jam_pulang}

    @classmethod
    def from_mapping(cls, raw: dict[str, Any], nama: str | None = None) -> AturanUsulan:
        allowed = set(cls.__dataclass_fields__)
        unknown = set(raw) - allowed
        if unknown:
            raise WhatIfError(
                f"Kunci tidak dikenal di aturan usulan: {', '.join(sorted(unknown))}; "
                f"yang dikenal: {', '.join(sorted(allowed))}."
            )
        raw = dict(raw)
        digest = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()
        raw["nama"] = nama or raw.get("nama") or f"whatif-{digest[:8]}"
        return cls(**raw)

    @classmethod
    def load(cls, path: Path) -> AturanUsulan:
        import yaml

        path = Path(path)
        if not path.is_file():
            raise WhatIfError(f"Berkas aturan usulan {path} tidak ada.")
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise WhatIfError(f"Berkas aturan usulan {path} bukan YAML yang sah: {error}") from None
        if not isinstance(raw, dict):
            raise WhatIfError(f"Berkas aturan usulan {path} harus berisi pemetaan (kunci: nilai).")
        try:
            aturan = cls.from_mapping(raw)
            candidate_rows(aturan, TRANSFORMS_DIR / "seeds")  # every key checked now, not mid-run
        except WhatIfError as error:
            raise WhatIfError(f"Berkas aturan usulan {path}: {error}") from None
        return aturan


@contextmanager
def _kunci(nama: str, jenis: type) -> Iterator[None]:
    """Errors of one key of the candidate YAML as a WhatIfError naming that key."""
    try:
        yield
    except KeyError as error:
        raise WhatIfError(f"Kunci {nama!r}: isian {error.args[0]!r} wajib ada.") from None
    except (ArithmeticError, ValueError) as error:
        raise WhatIfError(f"Kunci {nama!r}: {error}.") from None
    except (TypeError, AttributeError):
        bentuk = "pemetaan (kunci: nilai)" if jenis is dict else "daftar pemetaan"
        raise WhatIfError(f"Kunci {nama!r} harus berupa {bentuk}.") from None


def _num(value: Any, nama: str = "angka") -> str:
    """A rule number as the seeds write it (at most 4 decimals, no trailing zeros)."""
    try:
        d = Decimal(str(value))
    except ArithmeticError:
        raise ValueError(f"{nama} {value!r} bukan angka") from None
    if not d.is_finite() or d != d.quantize(Decimal("0.0001")):
        raise ValueError(f"{nama} {value} punya lebih dari 4 desimal")
    text = format(d.normalize(), "f")
    return text


def read_seed(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def candidate_rows(aturan: AturanUsulan, seeds: Path) -> dict[str, list[dict[str, str]]]:
    """The candidate version's rows of every rulebook seed (base rows, overrides applied)."""
    out: dict[str, list[dict[str, str]]] = {}
    for table in SEED_TABLES:
        _, rows = read_seed(seeds / f"{table}.csv")
        if any(r["versi"] == aturan.nama for r in rows):
            raise WhatIfError(f"Versi {aturan.nama!r} sudah ada di {table}.csv: pilih nama lain.")
        base = [dict(r, versi=aturan.nama) for r in rows if r["versi"] == aturan.dasar]
        if not base:
            raise WhatIfError(f"Versi dasar {aturan.dasar!r} tidak ada di {table}.csv.")
        out[table] = base

    (versi,) = out["aturan_versi"]
    versi.update(
        berlaku_mulai="",
        berlaku_sampai="",
        keterangan=aturan.keterangan or f"Usulan what-if dari {aturan.dasar}",
    )
    with _kunci("versi", dict):
        for col, value in aturan.versi.items():
            if col not in versi or col in ("versi", "berlaku_mulai", "berlaku_sampai"):
                raise WhatIfError(f"Kolom aturan_versi {col!r} tidak bisa diubah.")
            if col == "dasar_potongan" and value not in ("DISIPLIN", "TOTAL"):
                raise ValueError(f"dasar_potongan {value!r} harus DISIPLIN atau TOTAL")
            versi[col] = value if col in ("dasar_potongan", "jam_pemisah_tap") else _num(value, col)

    def by_key(table: str, key: str, col: str, changes: dict[str, Any]) -> None:
        rows = {r[key]: r for r in out[table]}
        with _kunci(key, dict):
            for k, value in changes.items():
                if k not in rows:
                    raise WhatIfError(f"{table}: {key} {k!r} tidak ada di versi {aturan.dasar}.")
                rows[k][col] = _num(value, k)

    by_key("aturan_predikat", "predikat", "persen_kinerja", aturan.predikat)
    by_key("aturan_status", "status", "persen_basis", aturan.status)
    with _kunci("pph21", list):
        _pph21(aturan, out)
    with _kunci("basis_skala", list):
        _basis_skala(aturan, out)
    with _kunci("basis", list):
        _basis(aturan, out)
    with _kunci("potongan", dict):
        _potongan(aturan, out)
    with _kunci("jam_kerja", list):
        _jam_kerja(aturan, out)
    with _kunci("shift", dict):
        _shift(aturan, out)
    return out


def _jam(value: Any, nama: str) -> str:
    """A time of day as the seeds write it (``HH:MM:SS``), from ``"05:30"`` or ``"05:30:00"``."""
    if not isinstance(value, str):
        # YAML 1.1 reads an unquoted 5:30 as the number 330 (base 60); 05:30 stays text
        raise ValueError(f'{nama} {value!r} harus jam dalam tanda kutip, mis. "05:30"')
    hit = _JAM.fullmatch(value.strip())
    if hit is None or int(hit[1]) > 23 or int(hit[2]) > 59 or int(hit[3] or 0) > 59:
        raise ValueError(f"{nama} {value!r} bukan jam HH:MM atau HH:MM:SS")
    return f"{int(hit[1]):02d}:{hit[2]}:{hit[3] or '00'}"


def _jam_kerja(aturan: AturanUsulan, out: dict[str, list[dict[str, str]]]) -> None:
    """Hours of weekdays of a weekly pattern (jadwal.md §1): a weekday's row changed, added (a
    new working day: all three times) or removed (``libur: true``: no longer a working day)."""
    rows = out["aturan_jam_kerja"]
    pola_ada = sorted({r["pola"] for r in rows})
    for change in aturan.jam_kerja:
        lain = set(change) - {"pola", "hari", "ramadan", "libur", *JAM_KOLOM}
        if lain:
            raise WhatIfError(
                f"jam_kerja: isian {', '.join(sorted(lain))} tidak dikenal; yang dikenal: pola, "
                f"hari, ramadan, libur, {', '.join(JAM_KOLOM)}."
            )
        pola = str(change["pola"])
        if pola not in pola_ada:
            raise WhatIfError(
                f"jam_kerja: pola {pola!r} tidak ada di versi {aturan.dasar} (ada: "
                f"{', '.join(pola_ada)}); jam shift diubah lewat kunci 'shift'."
            )
        hari = change["hari"] if isinstance(change["hari"], list) else [change["hari"]]
        if not hari or any(isinstance(h, bool) or h not in range(1, 8) for h in hari):
            raise ValueError(f"hari {change['hari']!r} harus 1 (Senin) s.d. 7 (Minggu)")
        ramadan, libur = change.get("ramadan", False), change.get("libur", False)
        if not isinstance(ramadan, bool) or not isinstance(libur, bool):
            raise ValueError("ramadan dan libur harus true atau false")
        if libur and set(change) & set(JAM_KOLOM):
            raise ValueError("hari libur tidak punya jam: hapus jam_* atau libur")
        ram = "true" if ramadan else "false"
        for h in hari:
            hit = [r for r in rows if (r["pola"], r["ramadan"], r["hari"]) == (pola, ram, str(h))]
            if libur:
                rows[:] = [r for r in rows if r not in hit]
                continue
            if not hit:
                kurang = [c for c in JAM_KOLOM if c not in change]
                if kurang:
                    raise WhatIfError(
                        f"jam_kerja: hari {h} bukan hari kerja {pola} di versi {aturan.dasar}; "
                        f"hari kerja baru perlu {', '.join(kurang)}."
                    )
                hit = [{"versi": aturan.nama, "pola": pola, "ramadan": ram, "hari": str(h)}]
                rows.append(hit[0])
            row = hit[0]
            for c in JAM_KOLOM:
                if c in change:
                    row[c] = _jam(change[c], c)
            if not row["jam_masuk"] < row["jam_pemisah"] <= row["jam_pulang"]:
                raise ValueError(
                    f"{pola} hari {h}: perlu jam_masuk < jam_pemisah <= jam_pulang "
                    f"({row['jam_masuk']}, {row['jam_pemisah']}, {row['jam_pulang']})"
                )


def _shift(aturan: AturanUsulan, out: dict[str, list[dict[str, str]]]) -> None:
    """Hours of a shift code (jadwal.md §2; jam_pulang <= jam_masuk: ends the next day)."""
    _per_kode(
        aturan,
        out,
        "aturan_shift",
        "kode_shift",
        aturan.shift,
        SHIFT_KOLOM,
        lambda kode, col, value: _jam(value, f"{kode} {col}"),
    )


def _potongan(aturan: AturanUsulan, out: dict[str, list[dict[str, str]]]) -> None:
    def nilai(kode: str, col: str, value: Any) -> str:
        if col.startswith("menit"):  # whole minutes; menit_max empty = no upper end
            return "" if value is None else _whole(value, f"{kode} {col}")
        return _num(value, f"{kode} {col}")

    _per_kode(aturan, out, "aturan_potongan", "kode", aturan.potongan, POTONGAN_KOLOM, nilai)


def _per_kode(
    aturan: AturanUsulan,
    out: dict[str, list[dict[str, str]]],
    table: str,
    kunci: str,
    changes: dict[str, Any],
    boleh: tuple[str, ...],
    nilai: Callable[[str, str, Any], str],
) -> None:
    """Columns ``boleh`` of the rows of the rulebook ``table`` keyed by a code (``kunci``),
    changed as ``changes`` (code -> {column: value}) says, each value written by ``nilai``."""
    by_code = {r[kunci]: r for r in out[table]}
    for kode, cols in changes.items():
        if kode not in by_code:
            raise WhatIfError(f"{table}: kode {kode!r} tidak ada di versi {aturan.dasar}.")
        for col, value in cols.items():
            if col not in boleh:
                raise WhatIfError(
                    f"Kolom {table} {col!r} tidak bisa diubah; yang bisa: {', '.join(boleh)}."
                )
            by_code[kode][col] = nilai(kode, col, value)


def _whole(value: Any, nama: str) -> str:
    angka = _num(value, nama)
    if "." in angka or int(angka) < 0:
        raise ValueError(f"{nama} {value} harus bilangan bulat menit >= 0")
    return angka


def _pph21(aturan: AturanUsulan, out: dict[str, list[dict[str, str]]]) -> None:
    for change in aturan.pph21:
        hit = [
            r
            for r in out["aturan_pph21"]
            if r["kelompok"] == str(change["kelompok"]) and r["golongan"] == str(change["golongan"])
        ]
        if not hit:
            raise WhatIfError(f"aturan_pph21: {change} tidak cocok dengan baris mana pun.")
        for r in hit:
            r["tarif"] = _num(change["tarif"], "tarif")


def _basis_skala(aturan: AturanUsulan, out: dict[str, list[dict[str, str]]]) -> None:
    basis = out["aturan_basis"]
    for skala in aturan.basis_skala:
        lo, hi = int(skala["kelas_dari"]), int(skala["kelas_sampai"])
        persen = Decimal(_num(skala["persen"], "persen"))
        opd = skala.get("kode_opd")
        if opd is not None:
            # one department: its effective basis (own row, else the `*` fallback) is scaled
            # into a row of its own; the fallback of the other departments stays
            opd = str(opd)
            sendiri = {r["kelas_jabatan"]: r for r in basis if r["kode_opd"] == opd}
            for r in [r for r in basis if r["kode_opd"] == "*"]:
                if lo <= int(r["kelas_jabatan"]) <= hi and r["kelas_jabatan"] not in sendiri:
                    sendiri[r["kelas_jabatan"]] = dict(r, kode_opd=opd)
                    basis.append(sendiri[r["kelas_jabatan"]])
        for r in basis:
            if lo <= int(r["kelas_jabatan"]) <= hi and (opd is None or r["kode_opd"] == opd):
                r["basis"] = str(
                    (Decimal(r["basis"]) * persen / 100).quantize(Decimal(1), ROUND_HALF_UP)
                )


def _basis(aturan: AturanUsulan, out: dict[str, list[dict[str, str]]]) -> None:
    basis = out["aturan_basis"]
    for change in aturan.basis:
        kode, kelas = str(change.get("kode_opd", "*")), str(int(change["kelas_jabatan"]))
        hit = [r for r in basis if r["kode_opd"] == kode and r["kelas_jabatan"] == kelas]
        if hit:
            hit[0]["basis"] = _num(change["basis"], "basis")
        else:
            basis.append(
                {
                    "versi": aturan.nama,
                    "kode_opd": kode,
                    "kelas_jabatan": kelas,
                    "basis": _num(change["basis"], "basis"),
                }
            )


def base_rows(
    versi: str = "default-2024", seeds: Path | None = None
) -> dict[str, list[dict[str, str]]]:
    """The rows of one shipped rulebook version (defaults for the app's widgets)."""
    seeds = seeds or TRANSFORMS_DIR / "seeds"
    return {
        t: [r for r in read_seed(seeds / f"{t}.csv")[1] if r["versi"] == versi] for t in SEED_TABLES
    }


def write_candidate_seeds(aturan: AturanUsulan, seeds: Path) -> dict[str, list[dict[str, str]]]:
    """Append the candidate version's rows to the rulebook seeds in ``seeds`` (a sandbox copy)."""
    rows = candidate_rows(aturan, seeds)
    for table, new in rows.items():
        path = seeds / f"{table}.csv"
        header, _ = read_seed(path)
        text = path.read_text(encoding="utf-8")
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
        writer.writerows(new)
        path.write_text(
            text + ("" if text.endswith("\n") else "\n") + buffer.getvalue(), encoding="utf-8"
        )
    return rows
