"""The models' evaluation on the test seed: figures the app and the docs quote.

``evaluation_seed_9143.json`` is the report (``python -m models.report --json``, command in
docs/models/evaluation.md) on the simulator seed that nothing was designed or tuned on. It is
the one place those figures are kept: the app reads them from here, and
tests/test_models_fresh_seed.py checks that the docs quote the same. Re-running the evaluation
means replacing the file (and the docs' prose); nothing else holds a copy. No scikit-learn
here: the app imports this module.
"""

from __future__ import annotations

import json
from pathlib import Path

SEED = 9143
REPORT = Path(__file__).with_name(f"evaluation_seed_{SEED}.json")


def report() -> dict:
    return json.loads(REPORT.read_text())


def warning_vs_baseline() -> dict:
    """The early warning against the baseline "average of past ratings": precision of the top
    10 % on all test rows, and the new cases (no poor predikat in the last three months) caught
    by the month's list, each ``{"k", "n", "nilai", "ci95"}``. ``lebih_baik`` only when the
    model's interval lies wholly above the baseline's (a difference beyond noise)."""
    laporan = report()["peringatan"]
    semua, baru = laporan["semua"], laporan["kasus_baru"]
    model = baru["model"]["tertangkap_di_daftar_10pct"]
    baseline = baru["baseline_rata_rata_penilaian"]["tertangkap_di_daftar_10pct"]
    return {
        "seed": SEED,
        "presisi_model": semua["model"]["presisi_top10"],
        "presisi_baseline": semua["baseline_rata_rata_penilaian"]["presisi_top10"],
        "model": model,
        "baseline": baseline,
        "lebih_baik": model["ci95"][0] > baseline["ci95"][1],
    }
