"""Versioned model artefacts under ``DATA/models/<model>/<versi>/`` (model.joblib + meta.json).

A version id names its data window and seed and ends with a fingerprint of everything that
determines the fit (data, features, parameters, code version): ``2025-01_2025-12_s42_1a2b3c4d``.
Training twice on the same data with the same seed gives the same id and the same model, so the
second time is a no-op. ``TERKINI`` (one line: a version id) points at the version in use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import joblib
import polars as pl

from models.config import KODE_VERSI  # derived from the code and the rule file
from orchestration.core.paths import DataDir

TERKINI = "TERKINI"


def folder(data: DataDir) -> Path:
    return data.root / "models"


def data_fingerprint(frame: pl.DataFrame) -> str:
    """Fingerprint of a table's content (the row order counts: sort first)."""
    h = hashlib.sha256(",".join(f"{k}:{v}" for k, v in frame.schema.items()).encode())
    h.update(frame.write_csv().encode())  # plain text: the same across library versions
    return h.hexdigest()


_SIDIK_BERKAS: dict[tuple, str] = {}  # files_fingerprint by the files' identity and state


def files_fingerprint(paths: list[Path]) -> str:
    """Fingerprint of files' names and bytes (the raw zone's Parquet is written deterministically,
    so the same data gives the same bytes): lets training skip work when nothing changed.

    Remembered for the process by each file's (path, inode, size, mtime): the raw zone is
    replaced atomically (a new inode), and one model job asks for the same month ~3 times."""
    sorted_paths = sorted(paths)
    stats = [(p, p.stat()) for p in sorted_paths]
    kunci = tuple((str(p), st.st_ino, st.st_size, st.st_mtime_ns) for p, st in stats)
    if (sidik := _SIDIK_BERKAS.get(kunci)) is None:
        if len(_SIDIK_BERKAS) > 1000:  # a long-lived process: forget, never grow without bound
            _SIDIK_BERKAS.clear()
        sidik = _SIDIK_BERKAS[kunci] = _hash_files(sorted_paths)
    return sidik


def _hash_files(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        with open(p, "rb") as f:
            for blok in iter(lambda: f.read(1 << 20), b""):
                h.update(blok)
    return h.hexdigest()


def version_id(jendela: tuple[str, str], seed: int, isi: dict) -> str:
    """``<mulai>_<sampai>_s<seed>_<8 hex>`` from the window, the seed and what determines the fit."""
    blob = json.dumps({**isi, "kode_versi": KODE_VERSI, "seed": seed}, sort_keys=True, default=str)
    return f"{jendela[0]}_{jendela[1]}_s{seed}_{hashlib.sha256(blob.encode()).hexdigest()[:8]}"


def library_versions() -> dict[str, str]:
    """Versions of the libraries a stored model depends on (a joblib pickle of scikit-learn
    objects loads reliably only with the same scikit-learn)."""
    from importlib.metadata import version

    return {p: version(p) for p in ("scikit-learn", "numpy", "polars", "duckdb", "joblib")}


_TERAKHIR: dict[Path, tuple] = {}  # per model folder: (version folder, object, meta)


def save(
    data: DataDir, model: str, versi: str, objek, meta: dict, lampiran: dict | None = None
) -> Path:
    """Write model.joblib and meta.json (and ``lampiran``: name -> polars frame, as Parquet)
    atomically and make ``versi`` the current one.

    An existing version is kept as it is (same id = same fit); only the pointer moves.
    """
    base = folder(data) / model
    target = base / versi
    if not (target / "meta.json").exists():
        base.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{versi}.", dir=base))
        try:
            joblib.dump(objek, tmp / "model.joblib", compress=3)
            for nama, frame in (lampiran or {}).items():
                frame.write_parquet(tmp / f"{nama}.parquet", compression="zstd")
            meta = {
                "model": model,
                "versi": versi,
                "kode_versi": KODE_VERSI,
                "pustaka": library_versions(),
                **meta,
            }
            (tmp / "meta.json").write_text(
                json.dumps(meta, indent=2, ensure_ascii=False, default=str) + "\n"
            )
            if target.exists():  # a half-written leftover without meta.json
                shutil.rmtree(target)
            os.replace(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    _write_atomic(base / TERKINI, (versi + "\n").encode())
    _TERAKHIR[base] = (target, objek, json.loads((target / "meta.json").read_text()))
    return target


def use(data: DataDir, model: str, versi: str) -> None:
    """Make the stored ``versi`` the current one."""
    if not (folder(data) / model / versi / "meta.json").exists():
        raise FileNotFoundError(f"versi {versi} dari model {model} tidak ada")
    _write_atomic(folder(data) / model / TERKINI, (versi + "\n").encode())


def current(data: DataDir, model: str) -> str | None:
    p = folder(data) / model / TERKINI
    return p.read_text().strip() if p.exists() else None


def load(data: DataDir, model: str, versi: str | None = None):
    """(object, meta) of ``versi`` or of the current version; None when nothing is trained.

    The last version loaded or saved of each model is kept for the process: a version is
    never rewritten (same id = same fit), and the model job scores right after training."""
    versi = versi or current(data, model)
    if not versi:
        return None
    d = folder(data) / model / versi
    ingat = _TERAKHIR.get(d.parent)
    if ingat is not None and ingat[0] == d and (d / "meta.json").exists():
        return ingat[1], ingat[2]
    hasil = joblib.load(d / "model.joblib"), json.loads((d / "meta.json").read_text())
    _TERAKHIR[d.parent] = (d, *hasil)
    return hasil


def meta(data: DataDir, model: str, versi: str | None = None) -> dict | None:
    versi = versi or current(data, model)
    p = folder(data) / model / (versi or "-") / "meta.json"
    return json.loads(p.read_text()) if p.exists() else None


def versions(data: DataDir, model: str) -> list[str]:
    """Every stored version id of ``model``, sorted."""
    base = folder(data) / model
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "meta.json").exists())


def _write_atomic(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    """Replace ``path`` atomically (readers never see half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        frame.write_parquet(tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
