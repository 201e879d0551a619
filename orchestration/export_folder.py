"""The export folder: which files are there, grouped by (kind, periode), preferred first.

Several files for one period (e.g. CSV and XLSX): the newest by modification time wins, a tie
goes to the name that sorts last; the others are reported by ingest, not read. A file that
looks like an export but whose name breaks the contract (``absensi_202413.csv``,
``gaji_202403.csv``, ``absensi_202403.xlsx``) is not read and is reported by ``ignored_lines``.
Scanned once per ingest asset and per ``kinerja run`` decision.
"""

from __future__ import annotations

import re
from pathlib import Path

from orchestration.core.contract import (
    FILE_NAME,
    KINDS,
    XLSX_KINDS,
    parse_file_name,
    period_in_name_ok,
)


class Discovery(dict[tuple[str, str], list[Path]]):
    """(kind, periode) -> export files, preferred first; ``ignored``: other files present."""

    def __init__(self) -> None:
        super().__init__()
        self.ignored: list[Path] = []


def discover(exports: Path) -> Discovery:
    """Export files in ``exports`` (not recursive) grouped by (kind, periode).

    Each list is in order of preference: newest modification time first, a tie broken by the
    name that sorts last. Files whose names do not follow the contract are in ``.ignored``.
    """
    found = Discovery()
    exports = Path(exports)
    if not exports.is_dir():
        return found
    for path in sorted(exports.iterdir()):
        if not path.is_file():
            continue
        parsed = parse_file_name(path.name)
        if parsed is None:
            found.ignored.append(path)
            continue
        kind, periode, _ext = parsed
        found.setdefault((kind, periode), []).append(path)
    for key, paths in found.items():
        found[key] = sorted(paths, key=lambda p: (_mtime_ns(p), p.name), reverse=True)
    return found


def _mtime_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:  # removed while we looked: least preferred
        return -1


# what a name that breaks the contract still looks like: an export's extension or a kind's prefix
_LOOKS_LIKE_EXPORT = re.compile(
    rf"^(?:.*\.(?:csv|xlsx|xls)|(?:{'|'.join(KINDS)})[_\- ].*)$", re.IGNORECASE
)


def ignored_lines(found: Discovery) -> list[str]:
    """One line per file of the folder that looks like an export but was not read because its
    name breaks the contract (sources.md: ``<kind>_YYYYMM.csv``), with the reason (Bahasa
    Indonesia). Excel's lock files (``~$...``), hidden files and other files are not listed."""
    lines = []
    for path in sorted(found.ignored, key=lambda p: p.name):
        name = path.name
        if name.startswith(("~$", ".")) or not _LOOKS_LIKE_EXPORT.match(name):
            continue
        m = FILE_NAME.match(name)  # the export name pattern itself: why parse_file_name said no
        if m and not period_in_name_ok(m["yyyymm"]):
            reason = (
                f"periode '{m['yyyymm']}' pada nama berkas bukan bulan yang sah (YYYYMM, tahun "
                "1900 s.d. 2099, bulan 01 s.d. 12)"
            )
        elif m and m["ext"].lower() == "xlsx" and m["kind"].lower() not in XLSX_KINDS:
            reason = (
                f"berkas {m['kind'].lower()} hanya diterima sebagai CSV (.xlsx hanya untuk "
                f"{' dan '.join(XLSX_KINDS)})"
            )
        else:
            reason = (
                f"nama berkas tidak mengikuti pola <jenis>_YYYYMM.csv (jenis: {', '.join(KINDS)})"
            )
        lines.append(f"Berkas '{name}' diabaikan: {reason}.")
    return lines
