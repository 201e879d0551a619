"""Finance exports of the published TPP (``kinerja export``), from the published snapshot only.

Formats and files written into ``--out`` (``<kode>``: the department code, e.g. ``1.02.01``):

- ``xlsx``: ``nominatif_tpp_<periode>_<kode>.xlsx``, one workbook per department (a file per
  department is what each department's treasurer signs and files), sheet ``Nominatif``;
- ``pdf``: ``nominatif_tpp_<periode>_<kode>.pdf``, one per department, F4 landscape;
- ``csv`` / ``parquet``: ``tpp_<periode>.<ext>`` and ``tpp_koreksi_<periode>.<ext>`` for all
  selected departments at once (the payroll system's input);
- always ``ekspor_<periode>_<format>.json`` (snapshot, status, totals, files) and
  ``SHA256SUMS`` (verify with ``sha256sum -c SHA256SUMS``).

With ``--opd`` the machine files and the json are suffixed ``_<kode>[_<kode>...]``.
Files are written to a temporary name and renamed, so finance never opens half a file. An export
replaces the previous export of the same period, format and selection in that folder: the files
that one listed (its json) and this one does not write are removed, with their SHA256SUMS lines,
so a department that no longer pays (a later snapshot) leaves no stale list that still verifies.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from orchestration.core.paths import DataDir
from orchestration.core.published import AMOUNTS, SnapshotTidakAda, require_current
from orchestration.nominatif import machine_readable, sha256sums
from orchestration.nominatif.daftar import Daftar, assemble
from orchestration.periods import WITA

FORMATS = ("xlsx", "csv", "parquet", "pdf")
TEMPAT = "Kupang"


class ExportError(RuntimeError):
    """An export that cannot be made; the message is one sentence for people."""


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    files: list[str]  # names inside folder, SHA256SUMS excluded
    sha256sums: Path
    snapshot: str  # the snapshot read (the current one)
    sumber: str  # the snapshot that wrote the period's files (``Snapshot.source``)
    status: str
    jumlah: dict[str, int]  # tpp_bulanan totals of the selection
    jumlah_koreksi: dict[str, int]
    # the period's latest computation had ERROR findings: these files are an earlier version
    # (``Snapshot.blocked``), not to be paid from until a run publishes the period again
    diblokir: bool = False


def _safe(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", code)


def _write(folder: Path, name: str, content: bytes) -> str:
    temporary = folder / f".{name}.tmp"
    temporary.write_bytes(content)
    os.replace(temporary, folder / name)
    return sha256sums.sha256(content)


def export(
    data: DataDir,
    periode: str,
    fmt: str,
    out: Path,
    opd: list[str] | None = None,
    tempat: str = TEMPAT,
    tanggal: dt.date | None = None,
) -> ExportResult:
    """Write the Daftar Nominatif of ``periode`` in ``fmt`` into ``out`` (see module doc)."""
    if fmt not in FORMATS:
        raise ExportError(f"Format {fmt!r} tidak dikenal; pilih salah satu: {', '.join(FORMATS)}.")
    try:
        snapshot = require_current(data)
    except SnapshotTidakAda as error:
        raise ExportError(str(error)) from None
    if periode not in snapshot.periods:
        terbit = ", ".join(snapshot.periods) or "-"
        raise ExportError(f"Periode {periode} belum diterbitkan (yang terbit: {terbit}).")
    opd = sorted(set(opd)) if opd else None
    daftar = assemble(snapshot, periode, opd)
    if opd:
        unknown = sorted(set(opd) - {d.kode_opd for d in daftar})
        if unknown:
            raise ExportError(
                f"OPD {', '.join(unknown)} tidak punya baris TPP atau koreksi pada periode {periode}."
            )
    if not daftar:
        raise ExportError(f"Tidak ada baris TPP pada periode {periode}.")
    tanggal = tanggal or dt.datetime.now(WITA).date()

    if out.exists() and not out.is_dir():
        raise ExportError(f"--out {out} adalah sebuah file, bukan folder; pilih folder tujuan.")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"Folder tujuan {out} tidak dapat dibuat: {error.strerror}.") from None
    suffix = "".join(f"_{_safe(k)}" for k in opd) if opd else ""
    written: dict[str, str] = {}
    if fmt in ("xlsx", "pdf"):
        from orchestration.nominatif import pdf, xlsx

        render = xlsx.render if fmt == "xlsx" else pdf.render
        for d in daftar:
            name = f"nominatif_tpp_{periode}_{_safe(d.kode_opd)}.{fmt}"
            written[name] = _write(out, name, render(d, tempat, tanggal))
    else:
        tpp, koreksi = machine_readable.render(daftar, fmt)
        written[f"tpp_{periode}{suffix}.{fmt}"] = _write(out, f"tpp_{periode}{suffix}.{fmt}", tpp)
        name = f"tpp_koreksi_{periode}{suffix}.{fmt}"
        written[name] = _write(out, name, koreksi)

    jumlah = _sum(daftar, "jumlah")
    jumlah_koreksi = _sum(daftar, "jumlah_koreksi")
    info = {
        "periode": periode,
        "format": fmt,
        "opd": [d.kode_opd for d in daftar],
        "snapshot": snapshot.id,
        "snapshot_created_at": snapshot.created_at,
        "status": snapshot.status(periode),
        "diblokir": periode in snapshot.blocked,
        "terbitan": snapshot.period(periode),
        "dibuat": dt.datetime.now(WITA).replace(microsecond=0).isoformat(),
        "baris": sum(len(d.baris) for d in daftar),
        "baris_koreksi": sum(len(d.koreksi) for d in daftar),
        "jumlah": jumlah,
        "jumlah_koreksi": jumlah_koreksi,
        "file": {name: written[name] for name in sorted(written)},
    }
    name = f"ekspor_{periode}_{fmt}{suffix}.json"
    stale = set(_previous_files(out / name)) - set(written)
    content = json.dumps(info, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    written[name] = _write(out, name, content.encode("utf-8"))
    for old in stale:  # the previous export's files this one does not replace
        (out / old).unlink(missing_ok=True)
    sums = sha256sums.write(out, written)  # drops the lines of files no longer there
    return ExportResult(
        folder=out,
        files=sorted(written),
        sha256sums=sums,
        snapshot=snapshot.id,
        sumber=snapshot.source(periode),
        status=snapshot.status(periode),
        jumlah=jumlah,
        jumlah_koreksi=jumlah_koreksi,
        diblokir=info["diblokir"],
    )


def _previous_files(info: Path) -> list[str]:
    """The files an earlier export of the same period, format and selection wrote (its json),
    plain names only: nothing outside the folder is ever touched."""
    try:
        files = json.loads(info.read_text(encoding="utf-8")).get("file", {})
    except (OSError, ValueError, AttributeError):
        return []
    return [n for n in files if isinstance(n, str) and n == Path(n).name and n != info.name]


def _sum(daftar: list[Daftar], attribute: str) -> dict[str, int]:
    return {a: sum(getattr(d, attribute)[a] for d in daftar) for a in AMOUNTS}
