{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='sync_all_columns',
        pre_hook="{{ hapus_periode_jendela() }}",
    )
}}
-- Distributions per department and period, one row per (sebaran, nilai): tpp_bulanan rows by
-- persen_disiplin (whole-point band, floor), by predikat (TANPA_PENILAIAN when none) and by
-- pola_kerja. jumlah_baris counts the department's rows (its people: one row per person and
-- department); jumlah_pegawai_provinsi counts each person once per value over all departments.
with baris as (
    select
        periode,
        kode_opd,
        nip,
        segmen,
        cast(cast(floor(persen_disiplin) as integer) as {{ dbt.type_string() }}) as persen_disiplin,
        cast(coalesce(predikat, 'TANPA_PENILAIAN') as {{ dbt.type_string() }}) as predikat,
        cast(coalesce(pola_kerja, 'KANTOR') as {{ dbt.type_string() }}) as pola_kerja
    from {{ ref('tpp_bulanan') }}
    where {{ dalam_jendela('periode') }}
),

panjang as (
    select periode, kode_opd, nip, segmen, 'persen_disiplin' as sebaran, persen_disiplin as nilai
    from baris
    union all
    select periode, kode_opd, nip, segmen, 'predikat' as sebaran, predikat as nilai
    from baris
    union all
    select periode, kode_opd, nip, segmen, 'pola_kerja' as sebaran, pola_kerja as nilai
    from baris
),

bernomor as (
    select
        *,
        -- a person with this value in two departments (a transfer month) counts at the UTAMA row
        row_number() over (
            partition by periode, sebaran, nilai, nip
            order by case when segmen = 'UTAMA' then 0 else 1 end, kode_opd
        ) as ke
    from panjang
)

select
    periode,
    kode_opd,
    cast(sebaran as {{ dbt.type_string() }}) as sebaran,
    nilai,
    cast(count(*) as integer) as jumlah_baris,
    cast(sum(case when ke = 1 then 1 else 0 end) as integer) as jumlah_pegawai_provinsi
from bernomor
group by periode, kode_opd, sebaran, nilai
