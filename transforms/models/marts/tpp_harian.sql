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
-- the minutes, the points and the approved absence (letter number, file and line) that decided it;
-- the day's schedule: start and end (a night shift ends the next day), the shift code of a
-- rostered day, the file of the check-out (a month-end night shift's is next month's) and
-- whether that check-out is still unknown (PULANG_BELUM_TERSEDIA).
select
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(nip as {{ dbt.type_string() }}) as nip,
    cast(kode_opd as {{ dbt.type_string() }}) as kode_opd,
    cast(segmen as {{ dbt.type_string() }}) as segmen,
    cast(tanggal as date) as tanggal,
    cast(hari_iso as integer) as hari_iso,
    cast(ramadan as boolean) as ramadan,
    cast(jam_masuk as {{ dbt.type_string() }}) as jam_masuk,
    cast(jam_pulang as {{ dbt.type_string() }}) as jam_pulang,
    cast(waktu_datang as timestamp) as waktu_datang,
    cast(waktu_pulang as timestamp) as waktu_pulang,
    cast(jumlah_tap as integer) as jumlah_tap,
    cast(kode_hari as {{ dbt.type_string() }}) as kode_hari,
    cast(kode_datang as {{ dbt.type_string() }}) as kode_datang,
    cast(kode_pulang as {{ dbt.type_string() }}) as kode_pulang,
    cast(menit_terlambat as integer) as menit_terlambat,
    cast(menit_pulang_cepat as integer) as menit_pulang_cepat,
    cast(poin as decimal(18, 4)) as poin,
    cast(hari_efektif as boolean) as hari_efektif,
    cast(nomor_surat as {{ dbt.type_string() }}) as nomor_surat,
    cast(kode_absen_semua as {{ dbt.type_string() }}) as kode_absen_semua,
    cast(coalesce(jumlah_absen, 0) as integer) as jumlah_absen,
    cast(sumber_absensi as {{ dbt.type_string() }}) as sumber_absensi,
    cast(baris_datang as integer) as baris_datang,
    cast(baris_pulang as integer) as baris_pulang,
    cast(sumber_ketidakhadiran as {{ dbt.type_string() }}) as sumber_ketidakhadiran,
    cast(baris_ketidakhadiran as integer) as baris_ketidakhadiran,
    cast(aturan_versi as {{ dbt.type_string() }}) as aturan_versi,
    cast(kode_shift as {{ dbt.type_string() }}) as kode_shift,
    cast(jadwal_mulai as timestamp) as jadwal_mulai,
    cast(jadwal_selesai as timestamp) as jadwal_selesai,
    cast(sumber_absensi_pulang as {{ dbt.type_string() }}) as sumber_absensi_pulang,
    cast(pulang_belum_tersedia as boolean) as pulang_belum_tersedia
from {{ ref('int_hari_pegawai') }}
