{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='sync_all_columns',
        pre_hook="{{ hapus_periode_jendela() }}",
    )
}}
-- Department-month summary of tpp_bulanan (rows paid by the department in the period).
select
    periode,
    kode_opd,
    max(nama_opd) as nama_opd,
    cast(count(*) as integer) as jumlah_baris,
    cast(count(distinct nip) as integer) as jumlah_pegawai,
    cast(sum(case when segmen = 'ASAL' then 1 else 0 end) as integer) as jumlah_mutasi_keluar,
    cast(sum(case when mutasi and segmen = 'UTAMA' then 1 else 0 end) as integer) as jumlah_mutasi_masuk,
    cast(sum(case when tanpa_penilaian then 1 else 0 end) as integer) as jumlah_tanpa_penilaian,
    cast(sum(case when tpp_bruto = 0 then 1 else 0 end) as integer) as jumlah_tanpa_tpp,
    max(hari_kerja) as hari_kerja,
    cast(sum(hari_efektif) as integer) as hari_efektif,
    cast(sum(hadir) as integer) as hadir,
    cast(sum(tk) as integer) as tk,
    cast(sum(tl1 + tl2 + tl3 + tl4) as integer) as terlambat,
    cast(sum(psw1 + psw2 + psw3 + psw4) as integer) as pulang_cepat,
    cast(sum(menit_terlambat) as bigint) as menit_terlambat,
    cast(sum(menit_pulang_cepat) as bigint) as menit_pulang_cepat,
    cast(sum(tpp_basis) as bigint) as tpp_basis,
    cast(sum(tpp_kinerja) as bigint) as tpp_kinerja,
    cast(sum(tpp_disiplin) as bigint) as tpp_disiplin,
    cast(sum(tpp_bruto) as bigint) as tpp_bruto,
    cast(sum(pph21) as bigint) as pph21,
    cast(sum(iuran_bpjs) as bigint) as iuran_bpjs,
    cast(sum(tpp_neto) as bigint) as tpp_neto,
    cast(round(avg(persen_kinerja), 4) as decimal(9, 4)) as rata_persen_kinerja,
    cast(round(avg(persen_disiplin), 4) as decimal(9, 4)) as rata_persen_disiplin,
    min(aturan_versi) as aturan_versi
from {{ ref('tpp_bulanan') }}
where {{ dalam_jendela('periode') }}
group by periode, kode_opd
