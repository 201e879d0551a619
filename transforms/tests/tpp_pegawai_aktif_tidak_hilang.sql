{{ config(meta={'dagster': {'ref': {'name': 'tpp_bulanan'}}}) }}
-- "A TPP list that silently drops people is a payroll error": every employee of the month's
-- master whose current-department segment has at least one calendar day has a tpp_bulanan row
-- for that department.
select s.periode, s.nip, s.kode_opd
from {{ ref('int_pegawai_segmen') }} as s
left join {{ ref('tpp_bulanan') }} as b
    on b.periode = s.periode and b.nip = s.nip and b.kode_opd = s.kode_opd
where s.segmen = 'UTAMA' and s.aktif and b.nip is null
