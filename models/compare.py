"""Compare the model job's outputs of two data directories (or two ``DATA/models`` folders):
the proof that a change of the model code left every flag, reason, score and probability as it
was (issue 20's cost work).

    uv run python -m models.compare LAMA BARU [--toleransi 1e-12]

``LAMA`` and ``BARU`` are ``DATA/models`` folders (or data directories holding one). Compared:
the score files (``skor_anomali``, ``temuan_anomali``, ``kasus_anomali``, ``skor_peringatan``),
the monitoring table (``pemantauan``), the cached anomaly features, each model's training-window
scores and the metrics in the current version's ``meta.json``. Rows are matched by their keys;
text, integer and boolean columns must be equal, floating-point columns equal within the
tolerance (null in the same places). What is expected to differ is left out: the model version
(``model_versi``, the version ids and ``kode_versi``: a code change is a new version), the
fingerprints that include it, and the library versions. Exit status 1 when something differs.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import polars as pl

BERKAS = {  # file -> the keys of a row
    "skor_anomali.parquet": ("periode", "nip"),
    "temuan_anomali.parquet": ("periode", "nip", "aturan"),
    "kasus_anomali.parquet": ("periode", "kasus_id"),
    "skor_peringatan.parquet": ("periode", "nip"),
    "pemantauan.parquet": ("bagian", "periode", "dimensi", "kelompok"),
}
VERSI = ("model_versi",)  # columns that name the model version: expected to differ
META_LEWAT = {"versi", "kode_versi", "pustaka", "sidik_data", "sidik_bulan", "dibuat"}


def models_folder(p: Path) -> Path:
    return p / "models" if (p / "models").is_dir() else p


def compare_table(lama: pl.DataFrame, baru: pl.DataFrame, kunci, toleransi: float) -> dict:
    """{'baris', 'kolom_beda': {col: what}, 'maks_selisih': {col: max abs diff}}."""
    out: dict = {"baris": [lama.height, baru.height], "kolom_beda": {}, "maks_selisih": {}}
    kolom_lama = [c for c in lama.columns if c not in VERSI]
    kolom_baru = [c for c in baru.columns if c not in VERSI]
    if kolom_lama != kolom_baru:
        out["kolom_beda"]["(skema)"] = f"{kolom_lama} vs {kolom_baru}"
        return out
    if lama.height != baru.height:
        out["kolom_beda"]["(baris)"] = f"{lama.height} vs {baru.height}"
        return out
    kunci = [k for k in kunci if k in kolom_lama]
    a = lama.select(kolom_lama).sort(kunci, nulls_last=True, maintain_order=True)
    b = baru.select(kolom_baru).sort(kunci, nulls_last=True, maintain_order=True)
    for c in kolom_lama:
        x, y = a[c], b[c]
        if x.dtype != y.dtype:
            out["kolom_beda"][c] = f"tipe {x.dtype} vs {y.dtype}"
        elif x.dtype.is_float():
            if not (x.is_null() == y.is_null()).all() or not (x.is_nan() == y.is_nan()).all():
                out["kolom_beda"][c] = "null/NaN di tempat lain"
                continue
            d = (x - y).abs().max()
            d = 0.0 if d is None or (isinstance(d, float) and math.isnan(d)) else float(d)
            out["maks_selisih"][c] = d
            if d > toleransi:
                out["kolom_beda"][c] = f"selisih maks {d:.3g}"
        elif not x.equals(y):
            n = int((x.ne_missing(y)).sum()) if x.dtype != pl.Object else -1
            out["kolom_beda"][c] = f"{n} baris berbeda"
    return out


def _clean_meta(m, toleransi: float):
    """meta.json without the version-bound fields; floats rounded to the tolerance's digits."""
    if isinstance(m, dict):
        return {k: _clean_meta(v, toleransi) for k, v in m.items() if k not in META_LEWAT}
    if isinstance(m, list):
        return [_clean_meta(v, toleransi) for v in m]
    if isinstance(m, float):
        return round(m, max(0, -int(math.log10(toleransi))))
    return m


def compare(lama: Path, baru: Path, toleransi: float = 1e-12) -> dict:
    lama, baru = models_folder(lama), models_folder(baru)
    hasil: dict = {}
    for nama, kunci in BERKAS.items():
        if (lama / nama).exists() or (baru / nama).exists():
            hasil[nama] = compare_table(
                pl.read_parquet(lama / nama), pl.read_parquet(baru / nama), kunci, toleransi
            )
    fitur_lama = sorted((lama / "fitur_anomali").glob("*.parquet"))
    if fitur_lama:
        hasil["fitur_anomali/*.parquet"] = compare_table(
            pl.concat([pl.read_parquet(f) for f in fitur_lama]),
            pl.concat(
                [pl.read_parquet(f) for f in sorted((baru / "fitur_anomali").glob("*.parquet"))]
            ),
            ("periode", "nip"),
            toleransi,
        )
    for model in ("anomali", "peringatan"):
        v_lama, v_baru = (
            (p / model / "TERKINI").read_text().strip()
            if (p / model / "TERKINI").exists()
            else None
            for p in (lama, baru)
        )
        if not (v_lama and v_baru):
            continue
        jendela = [
            lama / model / v_lama / "skor_jendela.parquet",
            baru / model / v_baru / "skor_jendela.parquet",
        ]
        if all(p.exists() for p in jendela):
            hasil[f"{model}/skor_jendela.parquet"] = compare_table(
                *(pl.read_parquet(p) for p in jendela), ("periode", "nip"), toleransi
            )
        m_lama, m_baru = (
            _clean_meta(json.loads((p / model / v / "meta.json").read_text()), toleransi)
            for p, v in ((lama, v_lama), (baru, v_baru))
        )
        beda = sorted(k for k in set(m_lama) | set(m_baru) if m_lama.get(k) != m_baru.get(k))
        hasil[f"{model}/meta.json"] = {
            "versi": [v_lama, v_baru],
            "kolom_beda": {k: "berbeda" for k in beda},
        }
    return hasil


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Bandingkan keluaran job model dua folder data.")
    ap.add_argument("lama", type=Path)
    ap.add_argument("baru", type=Path)
    ap.add_argument("--toleransi", type=float, default=1e-12)
    a = ap.parse_args(argv)
    hasil = compare(a.lama, a.baru, a.toleransi)
    print(json.dumps(hasil, indent=1, ensure_ascii=False))
    beda = {k: v["kolom_beda"] for k, v in hasil.items() if v["kolom_beda"]}
    print("SAMA" if not beda else f"BERBEDA: {json.dumps(beda, ensure_ascii=False)}")
    return 1 if beda else 0


if __name__ == "__main__":
    raise SystemExit(main())
