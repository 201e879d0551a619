"""Dagster resources: where exports arrive and where the platform keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from orchestration.paths import DataDir


class KinerjaStorage(dg.ConfigurableResource):
    """The export landing folder and the data directory (raw zone, warehouse, published)."""

    exports_dir: str
    data_dir: str

    @property
    def exports(self) -> Path:
        return Path(self.exports_dir)

    @property
    def data(self) -> DataDir:
        return DataDir.resolve(self.data_dir)

    @classmethod
    def from_env(cls) -> KinerjaStorage:
        return cls(
            exports_dir=str(Path(os.environ.get("KINERJA_EXPORTS", "exports")).resolve()),
            data_dir=str(DataDir.resolve().root),
        )
