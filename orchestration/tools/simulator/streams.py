"""Independent, named random streams, so one part of the simulation never shifts another.

``stream(seed, "attendance", 3)`` always gives the same generator, whatever else ran before;
turning on defects (``kotor``) or XLSX therefore leaves the clean data byte-identical.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str, *keys: int) -> np.random.Generator:
    """A generator for (seed, name, keys), stable across runs and Python versions."""
    entropy = [int(seed) & 0xFFFFFFFF, zlib.crc32(name.encode()), *(int(k) for k in keys)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))


def stable_hash(values: np.ndarray, salt: int = 0) -> np.ndarray:
    """A cheap deterministic integer hash of non-negative int arrays (splitmix64 finaliser)."""
    with np.errstate(over="ignore"):
        x = np.asarray(values).astype(np.uint64) + np.full(
            1, 0x9E3779B97F4A7C15, np.uint64
        ) * np.uint64(salt + 1)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return ((x ^ (x >> np.uint64(31))) >> np.uint64(1)).astype(np.int64)
