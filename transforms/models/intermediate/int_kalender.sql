-- Every date of every period of the window for every weekly pattern of the period's rulebook
-- (KANTOR, SEKOLAH, ...; jadwal.md §1): weekday, holiday / cuti bersama, Ramadan, the pattern's
-- expected hours and split time, and whether it is a working day of that pattern (a weekday
-- with hours in the pattern that is not a holiday).
with periode as (
    select periode, tanggal_awal, tanggal_akhir, aturan_versi, sumber_absensi from {{ ref('int_periode') }}
),

angka as (
    {%- for i in range(31) %}
    select {{ i }} as n{% if not loop.last %} union all{% endif %}
    {%- endfor %}
),

hari as (
    select
        p.periode,
        p.aturan_versi,
        p.sumber_absensi,
        {{ tambah_hari('p.tanggal_awal', 'a.n') }} as tanggal,
        p.tanggal_akhir
    from periode as p
    cross join angka as a
),

hari_bulan as (
    select periode, aturan_versi, sumber_absensi, tanggal, {{ hari_iso('tanggal') }} as hari_iso
    from hari
    where tanggal <= tanggal_akhir
),

libur as (
    select * from {{ ref('stg_kalender_libur') }}
),

ramadan as (
    select * from {{ ref('stg_kalender_ramadan') }}
),

jam as (
    select * from {{ ref('stg_aturan_jam_kerja') }}
),

pola as (
    select distinct aturan_versi, pola from jam
),

bertanda as (
    select
        h.periode,
        h.aturan_versi,
        h.sumber_absensi,
        h.tanggal,
        h.hari_iso,
        l.tanggal is not null as libur,
        l.jenis as jenis_libur,
        l.keterangan as keterangan_libur,
        r.mulai is not null as ramadan
    from hari_bulan as h
    left join libur as l on l.tanggal = h.tanggal
    left join ramadan as r on h.tanggal between r.mulai and r.selesai
)

select
    b.periode,
    b.tanggal,
    pl.pola,
    b.hari_iso,
    b.aturan_versi,
    b.libur,
    b.jenis_libur,
    b.keterangan_libur,
    b.ramadan,
    j.jam_masuk,
    j.jam_pulang,
    j.detik_masuk,
    j.detik_pulang,
    j.jam_pemisah,
    j.detik_pemisah,
    j.hari_iso is not null as hari_berjam,
    (j.hari_iso is not null and not b.libur) as hari_kerja,
    b.sumber_absensi
from bertanda as b
inner join pola as pl on pl.aturan_versi = b.aturan_versi
left join jam as j
    on j.aturan_versi = b.aturan_versi
    and j.pola = pl.pola
    and j.ramadan = b.ramadan
    and j.hari_iso = b.hari_iso
