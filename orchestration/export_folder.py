"""The export folder: which files are there, grouped by (kind, periode), preferred first.

Several files for one period (e.g. CSV and XLSX): the newest by modification time wins, a tie
goes to the name that sorts last; the others are reported by ingest, not read. Scanned once
per ingest asset and per ``kinerja run`` decision.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.core.contract import parse_file_name


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
