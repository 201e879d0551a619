{{ config(meta={'dagster': {'ref': {'name': 'tpp_bulanan'}}}) }}
-- "A TPP list that silently drops people is a payroll error" (tpp-rules §7): every employee of
-- a window month's master who is active on at least one calendar day in the current department
-- (from tmt_opd, or the 1st, to aktif_sampai, or the month's end) has a tpp_bulanan row for that
-- department. Judged from the master itself (stg_pegawai), not from int_pegawai_segmen, so a
-- fault in the segment model cannot hide a dropped person. A NIP listed twice in one master is
-- not judged here: it is the ERROR finding NIP_GANDA, which stops the period.
with pegawai as (
    select * from {{ ref('stg_pegawai') }}
),

sekali as (
    select periode, nip from pegawai group by periode, nip having count(*) = 1
),

aktif as (
    select pg.periode, pg.nip, pg.kode_opd, pg.tmt_opd, pg.aktif_sampai, pg.source_file, pg.line_no
    from pegawai as pg
    inner join sekali as s on s.periode = pg.periode and s.nip = pg.nip
    inner join {{ ref('int_periode') }} as p on p.periode = pg.periode
    where greatest(coalesce(pg.tmt_opd, p.tanggal_awal), p.tanggal_awal)
        <= least(coalesce(pg.aktif_sampai, p.tanggal_akhir), p.tanggal_akhir)
)

select a.*
from aktif as a
left join {{ ref('tpp_bulanan') }} as b
    on b.periode = a.periode and b.nip = a.nip and b.kode_opd = a.kode_opd
where b.nip is null
