{{ config(meta={'dagster': {'ref': {'name': 'tpp_bulanan'}}}) }}
-- Every count of tpp_bulanan is explained by tpp_harian, day by day (same window).
with harian as (
    select
        periode, nip, kode_opd,
        count(*) as hari_kerja_segmen,
        sum(case when hari_efektif then 1 else 0 end) as hari_efektif,
        sum(case when kode_hari = 'HADIR' then 1 else 0 end) as hadir,
        sum(case when kode_hari = 'TK' then 1 else 0 end) as tk,
        sum(case when kode_datang is not null then 1 else 0 end) as tl,
        sum(case when kode_pulang is not null then 1 else 0 end) as psw,
        sum(poin) as jumlah_poin
    from {{ ref('tpp_harian') }}
    where {{ dalam_jendela('periode') }}
    group by periode, nip, kode_opd
)

select b.periode, b.nip, b.kode_opd
from {{ ref('tpp_bulanan') }} as b
left join harian as h on h.periode = b.periode and h.nip = b.nip and h.kode_opd = b.kode_opd
where {{ dalam_jendela('b.periode') }}
  and (
    coalesce(h.hari_kerja_segmen, 0) <> b.hari_kerja_segmen
    or coalesce(h.hari_efektif, 0) <> b.hari_efektif
    or coalesce(h.hadir, 0) <> b.hadir
    or coalesce(h.tk, 0) <> b.tk
    or coalesce(h.tl, 0) <> b.tl1 + b.tl2 + b.tl3 + b.tl4
    or coalesce(h.psw, 0) <> b.psw1 + b.psw2 + b.psw3 + b.psw4
    or coalesce(h.jumlah_poin, 0) <> b.jumlah_poin
  )
