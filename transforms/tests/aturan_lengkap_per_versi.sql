{{ config(meta={'dagster': {'ref': {'name': 'aturan_versi'}}}) }}
-- Every rulebook version is complete: all absence codes, TK, a tanpa_tap band for arrivals and
-- for departures, hours for at least one weekday, a predikat percentage for every predikat, a
-- basis-share for every status, a PPh 21 rate for every golongan, the KANTOR and SEKOLAH
-- patterns, a department default ('*') and the PAGI / SIANG / MALAM shifts.
with versi as (
    select versi from {{ ref('aturan_versi') }}
),

wajib_potongan as (
    select kode from (
        values ('CT'), ('CS'), ('CB'), ('CM'), ('CAP'), ('CLTN'), ('DL'), ('DIKLAT'), ('TB'),
               ('IZIN'), ('TK')
    ) as t (kode)
),

wajib_predikat as (
    select predikat from (
        values ('SANGAT_BAIK'), ('BAIK'), ('BUTUH_PERBAIKAN'), ('KURANG'), ('SANGAT_KURANG')
    ) as t (predikat)
),

wajib_status as (
    select status from (values ('PNS'), ('CPNS'), ('PPPK')) as t (status)
),

wajib_pph21 as (
    select kelompok, golongan from (
        values ('PNS', 'I'), ('PNS', 'II'), ('PNS', 'III'), ('PNS', 'IV'),
               ('PPPK', 'I'), ('PPPK', 'II'), ('PPPK', 'III'), ('PPPK', 'IV'), ('PPPK', 'V'),
               ('PPPK', 'VI'), ('PPPK', 'VII'), ('PPPK', 'VIII'), ('PPPK', 'IX'), ('PPPK', 'X'),
               ('PPPK', 'XI'), ('PPPK', 'XII'), ('PPPK', 'XIII'), ('PPPK', 'XIV'), ('PPPK', 'XV'),
               ('PPPK', 'XVI'), ('PPPK', 'XVII')
    ) as t (kelompok, golongan)
)

select v.versi, 'potongan ' || w.kode as kurang
from versi as v cross join wajib_potongan as w
left join {{ ref('aturan_potongan') }} as a on a.versi = v.versi and a.kode = w.kode
where a.kode is null

union all
select v.versi, 'tanpa_tap ' || k.kategori
from versi as v cross join (select 'TERLAMBAT' as kategori union all select 'PULANG_CEPAT') as k
left join {{ ref('aturan_potongan') }} as a
    on a.versi = v.versi and a.kategori = k.kategori and a.tanpa_tap
where a.kode is null

union all
select v.versi, 'jam_kerja ' || w.pola
from versi as v cross join (select 'KANTOR' as pola union all select 'SEKOLAH') as w
left join {{ ref('aturan_jam_kerja') }} as j on j.versi = v.versi and j.pola = w.pola
where j.versi is null

union all
select v.versi, 'pola_opd *'
from versi as v
left join {{ ref('aturan_pola_opd') }} as a on a.versi = v.versi and a.kode_opd = '*'
where a.versi is null

union all
select v.versi, 'shift ' || w.kode_shift
from versi as v cross join (
    select 'PAGI' as kode_shift union all select 'SIANG' union all select 'MALAM'
) as w
left join {{ ref('aturan_shift') }} as a on a.versi = v.versi and a.kode_shift = w.kode_shift
where a.versi is null

union all
select v.versi, 'predikat ' || w.predikat
from versi as v cross join wajib_predikat as w
left join {{ ref('aturan_predikat') }} as a on a.versi = v.versi and a.predikat = w.predikat
where a.predikat is null

union all
select v.versi, 'status ' || w.status
from versi as v cross join wajib_status as w
left join {{ ref('aturan_status') }} as a on a.versi = v.versi and a.status = w.status
where a.status is null

union all
select v.versi, 'pph21 ' || w.kelompok || ' ' || w.golongan
from versi as v cross join wajib_pph21 as w
left join {{ ref('aturan_pph21') }} as a
    on a.versi = v.versi and a.kelompok = w.kelompok and a.golongan = w.golongan
where a.golongan is null
