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


def _ci(x: dict, sep: str = "–") -> str:
    return sep.join(half_up(v, 3) for v in x["ci95"])


def _share(x: dict) -> str:
    return f"{half_up(x['nilai'], 3)} ({x['k']:,}/{x['n']:,})"


def test_evaluation_doc_quotes_the_reports_rule_figures():
    a = fresh_seed.report()["anomali"]["semua_bulan"]
    baris = (DOCS / "evaluation.md").read_text().splitlines()

    def row(awal: str, isi: str) -> None:
        assert any(b.startswith(awal) and b.endswith(isi) for b in baris), (awal, isi)

    for aturan, r in a["per_aturan"].items():
        p, rc = r["presisi"], r["recall_jenis_sendiri"]
        row(
            f"| `{aturan}`",
            f"| {r['ditandai']:,} | {_share(p)} | {_ci(p)} | {_share(rc)} | {_ci(rc)} |",
        )
    p, rc = a["lapisan_aturan"]["presisi"], a["lapisan_aturan"]["recall"]
    row("| rule layer |", f"| {p['n']:,} | {_share(p)} | {_ci(p)} | {_share(rc)} | {_ci(rc)} |")
    assert a["lapisan_model"]["presisi"]["n"] == 0
    row("| model layer (forest, only where no rule fired) |", "| 0 | – | – | adds 0 cases | |")
    hutan = a["baseline"]["isolation_forest_kuota_2pct"]
    p, rc = hutan["presisi"], hutan["recall"]
    row(
        "| baseline: forest with the old 2 % quota |",
        f"| {p['n']:,} | {half_up(p['nilai'], 3)} | {_ci(p)} | {half_up(rc['nilai'], 3)} | {_ci(rc)} |",
    )


def test_anomaly_model_card_quotes_the_reports_figures():
    a = fresh_seed.report()["anomali"]
    semua = a["semua_bulan"]
    kartu = (DOCS / "anomali.md").read_text()
    evaluasi = " ".join((DOCS / "evaluation.md").read_text().split())

    def pr(x: dict) -> str:
        return f"{half_up(x['nilai'], 3)} [{_ci(x, ', ')}]"

    aturan = semua["lapisan_aturan"]
    assert f"| rules | {pr(aturan['presisi'])} | {pr(aturan['recall'])} |" in kartu
    hutan = semua["baseline"]["isolation_forest_kuota_2pct"]
    assert f"| {pr(hutan['presisi'])} | {pr(hutan['recall'])} |" in kartu
    # false flags per 10,000 honest employee-months, per department type, in both docs
    keadilan = a["keadilan_salah_tandai"]
    for nama, jenis in (("hospital", "RUMAH_SAKIT"), ("education", "PENDIDIKAN")):
        k = keadilan[jenis]
        teks = f"{nama} {half_up(k['per_10rb_sekarang'], 1)} ({k['salah_tandai_sekarang']})"
        assert teks in " ".join(kartu.split()) and teks in evaluasi
    lama = " / ".join(
        half_up(keadilan[j]["per_10rb_kuota_lama"], 1)
        for j in ("RUMAH_SAKIT", "PENDIDIKAN", "KESEHATAN", "UMUM")
    )
    assert f"old quota {lama}" in evaluasi


def test_models_readme_quotes_the_reports_headline_figures():
    laporan = fresh_seed.report()
    aturan = laporan["anomali"]["semua_bulan"]["lapisan_aturan"]
    w = laporan["peringatan"]["semua"]["model"]
    segar = fresh_seed.warning_vs_baseline()
    teks = " ".join((Path(fresh_seed.__file__).parent / "README.md").read_text().split())
    assert f"rules precision {half_up(aturan['presisi']['nilai'], 3)} [" in teks
    assert (
        f"ROC {half_up(w['roc_auc'], 3)}, top-10 % precision {half_up(w['presisi_top10'], 3)}"
        in teks
    )
    assert (
        f"catches {segar['model']['k']} of {segar['model']['n']:,} against the baseline's {segar['baseline']['k']}"
        in teks
    )
