"""Ringkasan Provinsi: headline numbers, the 39 departments ranked, trends over the months."""

import streamlit as st

from app import charts, ui
from app import format as fmt

ctx = ui.context("ringkasan")
d, periode = ctx.data, ctx.periode

kpi = d.kpi_per_periode()
opd = d.opd_periode(periode)
ui.title(
    "Ringkasan Provinsi", f"{fmt.periode(periode)} · {fmt.number(opd.height)} Perangkat Daerah"
)
now = ui.kpi_card(kpi, periode)
st.caption(
    f":material/trending_down: Potongan disiplin mengurangi TPP sebesar "
    f"**{fmt.rupiah(now['hilang_disiplin'])}** dan predikat kinerja sebesar "
    f"**{fmt.rupiah(now['hilang_kinerja'])}** dibanding pagu setelah pro-rata."
)

tab_peringkat, tab_tren, tab_peta = st.tabs(
    [
        ":material/leaderboard: Peringkat Perangkat Daerah",
        ":material/show_chart: Tren bulanan",
        ":material/grid_on: Peta bulanan",
    ],
    key="tab_ringkasan",
    on_change="rerun",
)

with tab_peringkat:
    if tab_peringkat.open:  # lazy: only the selected tab runs
        kiri, kanan = st.columns(2)
        with kiri:
            st.subheader("Disiplin", anchor=False)
            ui.chart(
                charts.ranking(opd, "persen_disiplin", "Rata-rata % disiplin"), width="stretch"
            )
        with kanan:
            st.subheader("Kinerja", anchor=False)
            ui.chart(
                charts.ranking(opd, "persen_kinerja", "Rata-rata % kinerja", warna=charts.BIRU),
                width="stretch",
            )
        st.subheader("Disiplin × kinerja", anchor=False)
        st.caption(
            "Setiap lingkaran satu Perangkat Daerah; besar = jumlah pegawai, warna = persen hari TK."
        )
        ui.chart(charts.opd_spread(opd), width="stretch")

        tabel = opd.sort("persen_disiplin", descending=True).with_row_index("peringkat", offset=1)
        ui.table(
            tabel,
            {
                "peringkat": "#",
                "nama_opd": "Perangkat Daerah",
                "jumlah_pegawai": "Pegawai",
                "persen_disiplin": "% disiplin",
                "persen_kinerja": "% kinerja",
                "persen_tk": "% hari TK",
                "jumlah_tanpa_penilaian": "Tanpa penilaian",
                "tpp_bruto": "TPP bruto",
                "tpp_neto": "TPP neto",
            },
            uang=("tpp_bruto", "tpp_neto"),
            persen=("persen_disiplin", "persen_kinerja", "persen_tk"),
            angka=("jumlah_pegawai", "jumlah_tanpa_penilaian"),
            key="tabel_opd",
        )

with tab_tren:
    if tab_tren.open:  # lazy: only the selected tab runs
        kiri, kanan = st.columns(2)
        with kiri:
            st.subheader("Disiplin dan kinerja", anchor=False)
            ui.chart(
                charts.trend(kpi, {"persen_disiplin": "% disiplin", "persen_kinerja": "% kinerja"}),
                width="stretch",
            )
        with kanan:
            st.subheader("Hari tanpa keterangan", anchor=False)
            ui.chart(charts.trend(kpi, {"persen_tk": "% hari TK"}, skala_nol=True), width="stretch")
        st.subheader("TPP per bulan", anchor=False)
        ui.chart(charts.tpp_periode(kpi), width="stretch")

with tab_peta:
    if tab_peta.open:  # lazy: only the selected tab runs
        st.caption("Rata-rata % disiplin per Perangkat Daerah per bulan (hijau = disiplin tinggi).")
        ui.chart(
            charts.opd_month_map(d.opd_periode(), "persen_disiplin", "% disiplin"), width="stretch"
        )
