"""The evaluation on the test seed is kept once (models/evaluation_seed_9143.json): the docs and
the model card quote its figures, and these tests fail when either drifts from it (the app
reads the file itself, tests/test_app_pages.py)."""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from models import fresh_seed

DOCS = Path(__file__).resolve().parents[1] / "docs" / "models"


def half_up(x: float, desimal: int, kali: int = 1) -> str:
    """``x * kali`` as a person rounds a reported figure (0.6155 -> 0.616, 0.0705 x 100 -> 7.1),
    not as float arithmetic and formatting do."""
    d = Decimal(str(x)) * kali
    return str(d.quantize(Decimal(1).scaleb(-desimal), rounding=ROUND_HALF_UP))


def test_the_report_is_the_test_seeds_full_year():
    laporan = fresh_seed.report()
    assert laporan["periode"] == ["2025-01", "2025-12"]
    w = laporan["peringatan"]
    assert w["kasus_baru_positif"] == w["kasus_baru"]["model"]["positif"]
    assert fresh_seed.REPORT.name == f"evaluation_seed_{fresh_seed.SEED}.json"


@pytest.mark.parametrize(
    ("kunci", "baris"),
    [
        ("model", "| model (spline logistic, GAM) |"),
        ("baseline_rata_rata_penilaian", "| **baseline: average of past ratings** |"),
    ],
)
def test_evaluation_doc_quotes_the_reports_figures_on_all_test_rows(kunci, baris):
    m = fresh_seed.report()["peringatan"]["semua"][kunci]
    angka = [
        half_up(m["roc_auc"], 3),
        half_up(m["pr_auc"], 3),
        half_up(m["brier"], 4),
        half_up(m["presisi_top10"], 3),
        half_up(m["recall_top10"], 3),
    ]
    teks = (DOCS / "evaluation.md").read_text()
    assert f"{baris} {' | '.join(angka)} |" in teks


def test_docs_quote_the_new_cases_caught_as_the_report_has_them():
    segar = fresh_seed.warning_vs_baseline()
    evaluasi = (DOCS / "evaluation.md").read_text()
    kartu = (DOCS / "peringatan_dini.md").read_text()
    for kunci in ("model", "baseline"):
        x = segar[kunci]
        persen = half_up(x["nilai"], 1, 100)
        lo, hi = (half_up(v, 1, 100) for v in x["ci95"])
        assert f"{x['k']} / {x['n']:,} = {persen} % [{lo}, {hi}]" in evaluasi
        assert f"{x['k']} ({persen} %)" in kartu
    assert f"{segar['model']['n']:,} of the positives" in kartu
    # the docs say plainly that it does not beat the baseline: true while the intervals overlap
    assert not segar["lebih_baik"]
    assert "does not beat" in evaluasi and "does not beat" in kartu
