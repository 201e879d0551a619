"""Where the platform keeps its data under one data directory (default ``./data``).

Configuration by environment, and why it stays there. The deployment names its folders with
``KINERJA_DATA`` (the data directory), ``KINERJA_EXPORTS`` (the export landing folder),
``DAGSTER_HOME`` and ``KINERJA_ENGINE`` (duckdb | spark). These are read at the edges only:
``default_data_dir`` here, ``KinerjaStorage.from_env`` when the code location is loaded, and
dbt's profile (``env_var('KINERJA_DATA')`` in transforms/profiles.yml). Environment is the one
channel all three loaders share: ``dagster dev`` and the daemon load the code location in their
own processes and pass it nothing else, and dbt is a subprocess that reads its warehouse path
from the profile. ``kinerja run`` sets them once, before Dagster is imported
(``run.prepare_environment``). Inside a run the folders travel as the ``storage`` resource, the
period window as the partition range of the run (``months.RANGE_START/END``) and reaches dbt as
``KINERJA_PERIODE_MULAI/SAMPAI`` for the build only (``dbt_project.window_environment``: dbt
``--vars`` would force a full re-parse on every new window).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TRANSFORMS_DIR = PROJECT_ROOT / "transforms"
SEEDS_DIR = TRANSFORMS_DIR / "seeds"


def default_data_dir() -> Path:
    return Path(os.environ.get("KINERJA_DATA", "data")).resolve()


@dataclass(frozen=True)
class DataDir:
    """Layout of a data directory.

    - ``raw/<kind>/<YYYY-MM>.parquet``: validated, typed rows of the current file of that period
      (``raw/<kind>/_schema.parquet`` is an empty file with the schema, so readers always match);
    - ``raw/karantina/<kind>/<YYYY-MM>.parquet``: rows (and whole files) rejected by the contract;
    - ``archive/<sha256>.<ext>``: every export file ever ingested, content-addressed, never
      overwritten;
    - ``registry.sqlite``: the file registry (what was seen, when, with what result);
    - ``warehouse.duckdb``: the dbt warehouse (only the pipeline opens it);
    - ``published/``: what readers (app, exports) use;
    - ``dagster/``: the Dagster instance (runs, event log) the UI shows; ``dagster.yaml`` there
      is written by ``orchestration.event_log``;
    - ``dbt/<engine>/``: dbt's target of the builds (run_results.json, compiled SQL, dbt.log,
      partial_parse.msgpack), reused run after run;
    - ``logs/``: one log per ``kinerja run`` (dbt's output);
    - ``terkunci/<YYYY-MM>.parquet``: the paid ``tpp_bulanan`` rows of every LOCKED period,
      copied at lock time and never changed (``_skema_*.parquet`` beside them: the empty schema,
      written by dbt); the warehouse view ``tpp_dibayar`` reads them.
    """

    root: Path

    @classmethod
    def resolve(cls, root: str | Path | None = None) -> DataDir:
        return cls(Path(root).resolve() if root else default_data_dir())

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    def raw_file(self, kind: str, periode: str) -> Path:
        return self.raw / kind / f"{periode}.parquet"

    def raw_schema_file(self, kind: str) -> Path:
        return self.raw / kind / "_schema.parquet"

    @property
    def quarantine(self) -> Path:
        return self.raw / "karantina"

    def quarantine_file(self, kind: str, periode: str) -> Path:
        return self.quarantine / kind / f"{periode}.parquet"

    def rejected_quarantine_file(self, kind: str, periode: str) -> Path:
        """Quarantine of the latest rejected file of a period (absent when none is pending)."""
        return self.quarantine / kind / f"{periode}.ditolak.parquet"

    def period_files_exist(self, kind: str, periode: str) -> bool:
        """The raw file and the quarantine of a loaded period are both on disk."""
        return (
            self.raw_file(kind, periode).exists() and self.quarantine_file(kind, periode).exists()
        )

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def registry(self) -> Path:
        return self.root / "registry.sqlite"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def published(self) -> Path:
        return self.root / "published"

    @property
    def locked(self) -> Path:
        """Paid rows of the LOCKED periods (``terkunci/<YYYY-MM>.parquet``)."""
        return self.root / "terkunci"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in blocks (exports, archive, published files)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
