{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='sync_all_columns',
        pre_hook="{{ hapus_periode_jendela() }}",
    )
}}
-- Day level of tpp_bulanan: every working day of every paid segment, with the expected hours,
-- the check-in / check-out taps (file and line), the day code, the arrival / departure codes,
-- the minutes, the points and the approved absence (letter number, file and line) that decided it.
select
    cast(periode as varchar) as periode,
    cast(nip as varchar) as nip,
    cast(kode_opd as varchar) as kode_opd,
    cast(segmen as varchar) as segmen,
    cast(tanggal as date) as tanggal,
    cast(hari_iso as integer) as hari_iso,
    cast(ramadan as boolean) as ramadan,
    cast(jam_masuk as varchar) as jam_masuk,
    cast(jam_pulang as varchar) as jam_pulang,
    cast(waktu_datang as timestamp) as waktu_datang,
    cast(waktu_pulang as timestamp) as waktu_pulang,
    cast(jumlah_tap as integer) as jumlah_tap,
    cast(kode_hari as varchar) as kode_hari,
    cast(kode_datang as varchar) as kode_datang,
    cast(kode_pulang as varchar) as kode_pulang,
    cast(menit_terlambat as integer) as menit_terlambat,
    cast(menit_pulang_cepat as integer) as menit_pulang_cepat,
    cast(poin as decimal(18, 4)) as poin,
    cast(hari_efektif as boolean) as hari_efektif,
    cast(nomor_surat as varchar) as nomor_surat,
    cast(kode_absen_semua as varchar) as kode_absen_semua,
    cast(coalesce(jumlah_absen, 0) as integer) as jumlah_absen,
    cast(sumber_absensi as varchar) as sumber_absensi,
    cast(baris_datang as integer) as baris_datang,
    cast(baris_pulang as integer) as baris_pulang,
    cast(sumber_ketidakhadiran as varchar) as sumber_ketidakhadiran,
    cast(baris_ketidakhadiran as integer) as baris_ketidakhadiran,
    cast(aturan_versi as varchar) as aturan_versi
from {{ ref('int_hari_pegawai') }}
