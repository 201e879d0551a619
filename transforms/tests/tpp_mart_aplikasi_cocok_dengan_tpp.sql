{{ config(meta={'dagster': {'ref': {'name': 'tpp_opd_indikator'}}}) }}
-- The app's marts agree with the finance tables they summarise (same window): every
-- department-month of tpp_opd_bulanan has its indicator row and no other; the rates are the
-- department's counts divided; the people counted once sum to the period's people; the
-- weekday counts add up to the department's TL / PSW / TK days; each distribution covers every
-- row of the department once; the arrival histogram holds no more days than there are.
with opd as (
    select * from {{ ref('tpp_opd_bulanan') }} where {{ dalam_jendela('periode') }}
),

indikator as (
    select * from {{ ref('tpp_opd_indikator') }} where {{ dalam_jendela('periode') }}
),

hari as (
    select
        periode, kode_opd,
        sum(hari_kerja) as hari_kerja,
        sum(terlambat) as terlambat,
        sum(pulang_cepat) as pulang_cepat,
        sum(tk) as tk
    from {{ ref('tpp_opd_hari') }}
    where {{ dalam_jendela('periode') }}
    group by periode, kode_opd
),

sebaran as (
    select periode, kode_opd, sebaran, sum(jumlah_baris) as jumlah_baris
    from {{ ref('tpp_opd_sebaran') }}
    where {{ dalam_jendela('periode') }}
    group by periode, kode_opd, sebaran
),

datang as (
    select periode, kode_opd, sum(hari) as hari
    from {{ ref('tpp_opd_jam_datang') }}
    where {{ dalam_jendela('periode') }}
    group by periode, kode_opd
),

orang as (
    select periode, count(distinct nip) as pegawai
    from {{ ref('tpp_bulanan') }}
    where {{ dalam_jendela('periode') }}
    group by periode
),

orang_indikator as (
    select periode, sum(jumlah_pegawai_provinsi) as pegawai
    from indikator
    group by periode
),

masalah as (
    select coalesce(o.periode, i.periode) as periode, coalesce(o.kode_opd, i.kode_opd) as kode_opd,
        'tpp_opd_indikator tanpa pasangan di tpp_opd_bulanan' as masalah
    from opd as o
    full outer join indikator as i on i.periode = o.periode and i.kode_opd = o.kode_opd
    where o.kode_opd is null or i.kode_opd is null

    union all
    select o.periode, o.kode_opd, 'persen_tk / persen_terlambat / persen_pulang_cepat' as masalah
    from opd as o
    inner join indikator as i on i.periode = o.periode and i.kode_opd = o.kode_opd
    where coalesce(abs(i.persen_tk - {{ persen_dari('o.tk', 'o.hari_efektif') }}), 0) > 1e-9
        or coalesce(abs(i.persen_terlambat - {{ persen_dari('o.terlambat', 'o.hari_efektif') }}), 0) > 1e-9
        or coalesce(abs(i.persen_pulang_cepat - {{ persen_dari('o.pulang_cepat', 'o.hari_efektif') }}), 0) > 1e-9
        or (i.persen_tk is null) <> (o.hari_efektif = 0)

    union all
    select o.periode, null as kode_opd, 'jumlah_pegawai_provinsi <> count(distinct nip)' as masalah
    from orang as o
    left join orang_indikator as i on i.periode = o.periode
    where coalesce(i.pegawai, -1) <> o.pegawai

    union all
    select o.periode, o.kode_opd, 'tpp_opd_hari <> terlambat / pulang_cepat / tk' as masalah
    from opd as o
    left join hari as h on h.periode = o.periode and h.kode_opd = o.kode_opd
    where coalesce(h.terlambat, 0) <> o.terlambat
        or coalesce(h.pulang_cepat, 0) <> o.pulang_cepat
        or coalesce(h.tk, 0) <> o.tk

    union all
    select o.periode, o.kode_opd, 'tpp_opd_sebaran ' || jenis.sebaran || ' <> jumlah_baris' as masalah
    from opd as o
    cross join (
        select 'persen_disiplin' as sebaran
        union all select 'predikat' as sebaran
        union all select 'pola_kerja' as sebaran
    ) as jenis
    left join sebaran as s
        on s.periode = o.periode and s.kode_opd = o.kode_opd and s.sebaran = jenis.sebaran
    where coalesce(s.jumlah_baris, 0) <> o.jumlah_baris

    union all
    select d.periode, d.kode_opd, 'tpp_opd_jam_datang lebih banyak dari hari kerja' as masalah
    from datang as d
    left join hari as h on h.periode = d.periode and h.kode_opd = d.kode_opd
    where d.hari > coalesce(h.hari_kerja, 0)
)

select * from masalah
