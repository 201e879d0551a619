"""The raw zone on disk: deterministic Parquet written atomically, the content-addressed
archive of export bytes, the empty schema files and the per-period ingest lock.

Parquet output is deterministic: rows sorted by line, no timestamps inside, zstd level 3, and
one chunk per column (the writer's pages follow a frame's chunks, which depend on how the frame
was computed, not on its data).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from orchestration.core.contract import KINDS, QUARANTINE_SCHEMA, raw_schema
from orchestration.core.paths import DataDir

try:  # POSIX: serialise two ingestions of the same period (sensor + CLI)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3, "statistics": True}


def ensure_raw_zone(data: DataDir) -> None:
    """Empty schema files, so ``raw/<kind>/*.parquet`` and ``raw/karantina/**/*.parquet`` always
    match at least one file with the right columns. Existing correct files are left alone."""
    targets = {data.quarantine / "_schema.parquet": QUARANTINE_SCHEMA}
    for kind in KINDS:
        targets[data.raw_schema_file(kind)] = raw_schema(kind)
        targets[data.quarantine / kind / "_schema.parquet"] = QUARANTINE_SCHEMA
    for path, schema in targets.items():
        if path.exists():
            with contextlib.suppress(Exception):
                if pl.Schema(pl.read_parquet_schema(path)) == schema:
                    continue
        write_parquet_atomic(schema.to_frame(), path)


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.rechunk().write_parquet(buffer, **PARQUET_OPTIONS)
    return buffer.getvalue()


def write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    """Deterministic Parquet, written to a temp file in the same directory then renamed."""
    write_atomic(parquet_bytes(frame), path)


def write_atomic(content: bytes, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def archive(data: DataDir, sha: str, ext: str, content: bytes) -> Path:
    target = data.archive / f"{sha}.{ext}"
    if not target.exists():  # content-addressed: an existing copy is the same bytes
        write_atomic(content, target)
    return target


@contextlib.contextmanager
def period_lock(data: DataDir, kind: str, periode: str) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover
        yield
        return
    locks = data.root / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{kind}_{periode}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
