"""``SHA256SUMS`` in the format of GNU ``sha256sum`` (``<hex>  <name>``), checkable with
``sha256sum -c SHA256SUMS`` inside the export folder.

Each export run adds or replaces the lines of the files it wrote and keeps the lines of files
written by earlier runs into the same folder (with the hash recorded then), so one folder can
hold several formats and still verify as a whole.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

NAMA = "SHA256SUMS"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(path: Path) -> dict[str, str]:
    """name -> hex of an existing SHA256SUMS (empty when there is none)."""
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if len(line) > 66 and line[64:66] in ("  ", " *"):
            out[line[66:]] = line[:64]
    return out


def write(folder: Path, written: dict[str, str]) -> Path:
    """Merge ``written`` (name -> hex) into ``folder/SHA256SUMS``, atomically."""
    path = folder / NAMA
    entries = {n: h for n, h in read(path).items() if (folder / n).exists()}
    entries.update(written)
    text = "".join(f"{entries[name]}  {name}\n" for name in sorted(entries))
    temporary = folder / f".{NAMA}.tmp"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return path


def check(folder: Path) -> list[str]:
    """Names whose content no longer matches (what ``sha256sum -c`` would report FAILED)."""
    bad = []
    for name, digest in read(folder / NAMA).items():
        target = folder / name
        if not target.exists() or sha256(target.read_bytes()) != digest:
            bad.append(name)
    return bad
