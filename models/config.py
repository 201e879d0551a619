"""The rule configuration (``anomaly_rules.toml``) and the code version of the models.

``KODE_VERSI`` is derived, never edited by hand: the sha256 of the rule file and of every
module that determines what a fit or a flag is. Any change to a threshold or to that code
gives new model versions (``registry.versi_id`` includes it).
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
BERKAS_ATURAN = FOLDER / "anomaly_rules.toml"
# the modules whose code decides features, fits, flags and reasons
VERSION_MODULES = (
    "inputs.py",
    "day_tables.py",
    "features.py",
    "anomaly.py",
    "anomaly_rules.py",
    "recap.py",
    "early_warning.py",
    "pipeline.py",
    "config.py",
)


def load_rules(path: Path = BERKAS_ATURAN) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def code_version() -> str:
    """12 hex of sha256 over the rule file and ``MODUL_VERSI`` (name and bytes)."""
    h = hashlib.sha256()
    for name in (BERKAS_ATURAN.name, *VERSION_MODULES):
        p = FOLDER / name
        h.update(name.encode())
        h.update(p.read_bytes() if p.exists() else b"")
    return h.hexdigest()[:12]


ATURAN = load_rules()
KODE_VERSI = code_version()
