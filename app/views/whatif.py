"""What-if (ANALIS only): the TPP of the published months under a candidate rulebook.

Widgets build a candidate rulebook (weights, predikat percentages, BPJS rate, basis scaling per
class range) on top of the rulebook in force; ``orchestration.whatif`` recomputes the amounts
over the published rows (fast path, nothing is written anywhere) and compares. Results are
cached per parameter set; the comparison XLSX download is written to the audit log.
"""

import polars as pl
import streamlit as st

from app import charts, ui
from app import format as fmt
from orchestration.core.paths import DataDir
from orchestration.whatif import AturanUsulan, WhatIfError, base_rows, whatif, xlsx_bytes

ctx = ui.context("whatif")
d, periode = ctx.data, ctx.periode

ui.title(
    "Simulasi Aturan",
    "Hitung ulang TPP bulan terbit dengan aturan usulan dan bandingkan dengan TPP terbit. "
    "Data terbit, periode terkunci dan gudang data tidak diubah.",
)

periods = list(d.periods)
# defaults: the rulebook the published rows of the chosen period were computed with
versi_berlaku = d.snapshot.read("tpp_bulanan", periode)["aturan_versi"].drop_nulls().mode()
dasar = versi_berlaku[0] if versi_berlaku.len() else "default-2024"
aturan_dasar = base_rows(dasar)
if not aturan_dasar["aturan_versi"]:
    dasar, aturan_dasar = "default-2024", base_rows("default-2024")
v0 = aturan_dasar["aturan_versi"][0]
pk0 = {r["predikat"]: int(float(r["persen_kinerja"])) for r in aturan_dasar["aturan_predikat"]}
st.caption(f"Aturan dasar: **{dasar}** (aturan yang berlaku pada periode {fmt.periode(periode)}).")
with st.form("whatif_form"):
    kiri, kanan = st.columns(2)
    with kiri:
        mulai, sampai = st.select_slider(
            "Periode", options=periods, value=(periods[0], periods[-1]), format_func=fmt.periode
        )
        bobot_kinerja = st.slider(
            "Bobot kinerja (%)",
            0,
            100,
            int(float(v0["bobot_kinerja"])),
            step=5,
            help="Bobot disiplin = 100 − bobot kinerja.",
        )
        persen_bpjs = st.number_input(
            "Iuran BPJS (%)", 0.0, 10.0, float(v0["persen_bpjs"]), step=0.25, format="%.2f"
        )
        dasar_potongan = st.radio(
            "Potongan disiplin dari",
            ["DISIPLIN", "TOTAL"],
            horizontal=True,
            index=["DISIPLIN", "TOTAL"].index(v0["dasar_potongan"]),
            format_func={"DISIPLIN": "Bagian disiplin", "TOTAL": "Seluruh TPP"}.get,
            help="Bagian disiplin: potongan dihitung dari bagian disiplin saja; "
            "seluruh TPP: dari seluruh TPP.",
        )
    with kanan:
        st.caption("Persen kinerja per predikat")
        p = st.columns(5)
        predikat = {
            k: p[i].number_input(label, 0, 100, pk0.get(k, v), step=5, key=f"pk_{k}")
            for i, (k, label, v) in enumerate(
                (
                    ("SANGAT_BAIK", "Sangat baik", 100),
                    ("BAIK", "Baik", 100),
                    ("BUTUH_PERBAIKAN", "Butuh perb.", 75),
                    ("KURANG", "Kurang", 50),
                    ("SANGAT_KURANG", "Sangat kurang", 25),
                )
            )
        }
        st.caption("Skala basis per rentang kelas jabatan (% dari basis berlaku)")
        s = st.columns(3)
        skala = [
            (1, 6, s[0].number_input("Kelas 1–6", 50, 200, 100, step=5)),
            (7, 12, s[1].number_input("Kelas 7–12", 50, 200, 100, step=5)),
            (13, 17, s[2].number_input("Kelas 13–17", 50, 200, 100, step=5)),
        ]
    jalan = st.form_submit_button("Hitung", icon=":material/calculate:", type="primary")

usulan = {
    "dasar": dasar,
    "versi": {
        "bobot_kinerja": bobot_kinerja,
        "bobot_disiplin": 100 - bobot_kinerja,
        "persen_bpjs": round(persen_bpjs, 4),
        "dasar_potongan": dasar_potongan,
    },
    "predikat": predikat,
    "basis_skala": [
        {"kelas_dari": a, "kelas_sampai": b, "persen": v} for a, b, v in skala if v != 100
    ],
}


@st.cache_data(show_spinner="Menghitung ulang TPP…", max_entries=16)
def _compute(root: str, snapshot_id: str, usulan: dict, mulai: str, sampai: str):
    # snapshot_id is part of the cache key: a new publish recomputes
    return whatif(
        DataDir.resolve(root), AturanUsulan.from_mapping(usulan), mulai, sampai, metode="cepat"
    )


if jalan:
    st.session_state["whatif_param"] = (usulan, mulai, sampai)
param = st.session_state.get("whatif_param")
if param is None:
    st.info("Atur parameter lalu tekan **Hitung**.", icon=":material/tune:")
    st.stop()

try:
    hasil = _compute(str(ctx.dir.root), d.snapshot.id, *param)
except WhatIfError as error:
    st.error(str(error), icon=":material/error:")
    st.stop()

t = hasil.total
atas, bawah = st.columns(2), st.columns(2)  # two per row: full rupiah amounts fit
atas[0].metric("TPP bruto terbit", fmt.rupiah(t["tpp_bruto_lama"]), border=True)
atas[1].metric(
    "TPP bruto usulan",
    fmt.rupiah(t["tpp_bruto_baru"]),
    border=True,
    delta=ui.delta_rupiah(t["tpp_bruto_baru"], t["tpp_bruto_lama"]),
    help=f"Selisih {fmt.rupiah(t['selisih_bruto'])}",
)
bawah[0].metric("Pegawai naik", fmt.number(t["pegawai_naik"]), border=True)
bawah[1].metric("Pegawai turun", fmt.number(t["pegawai_turun"]), border=True)
# the candidate rulebook's internal name means nothing to the reader: "aturan usulan" says it
ringkasan = hasil.ringkasan.replace(f"aturan usulan {hasil.aturan}", "aturan usulan")
for p in sorted(set(hasil.periods), reverse=True):  # "2025-03" -> "Maret 2025" in the text
    ringkasan = ringkasan.replace(p, fmt.periode(p))
st.markdown(ringkasan.replace("\n", "  \n"))
st.caption(f"Dihitung dalam {fmt.number(hasil.detik_total, 1)} detik.")

st.subheader("Dampak per Perangkat Daerah", anchor=False)
opd = hasil.per_opd
ui.chart(charts.opd_difference(opd), width="stretch")
ui.table(
    opd.with_columns(pl.coalesce("nama_opd", "kode_opd").alias("nama_opd")),
    {
        "nama_opd": "Perangkat Daerah",
        "tpp_bruto_lama": "Bruto terbit",
        "tpp_bruto_baru": "Bruto usulan",
        "selisih_bruto": "Selisih bruto",
        "selisih_neto": "Selisih neto",
        "pegawai_naik": "Naik",
        "pegawai_turun": "Turun",
    },
    uang=("tpp_bruto_lama", "tpp_bruto_baru", "selisih_bruto", "selisih_neto"),
    angka=("pegawai_naik", "pegawai_turun"),
    key="tabel_whatif_opd",
    lebar={"nama_opd": "large"},
)

st.subheader("Sebaran perubahan per pegawai", anchor=False)
ui.chart(charts.change_spread(hasil.sebaran), width="stretch")

if hasil.pagu is not None and hasil.pagu.height:
    st.subheader("Proyeksi terhadap pagu", anchor=False)
    st.caption(
        "Run rate dari bulan-bulan periode terpilih, menurut bulan bayar (TPP bulan M "
        "dibayar pada M+1)."
    )
    ui.table(
        hasil.pagu.sort(pl.col("proyeksi_baru") - pl.col("pagu"), descending=True),
        {
            "tahun": "Tahun",
            "kode_opd": "Kode",
            "pagu": "Pagu",
            "proyeksi_lama": "Proyeksi terbit",
            "proyeksi_baru": "Proyeksi usulan",
            "melebihi_baru": "Melebihi pagu",
        },
        uang=("pagu", "proyeksi_lama", "proyeksi_baru"),
        key="tabel_whatif_pagu",
    )

mulai, sampai = param[1], param[2]
ui.download(
    ctx,
    "Perbandingan (XLSX)",
    lambda: xlsx_bytes(hasil),
    f"whatif_{mulai}_{sampai}.xlsx",
    objek="whatif_xlsx",
    periode=f"{mulai}..{sampai}",
    baris=hasil.per_pegawai.height,
    key="unduh_whatif",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    primary=True,
)
