{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='sync_all_columns',
        pre_hook="{{ hapus_periode_jendela() }}",
    )
}}
-- The app's department-month indicators (one row per tpp_opd_bulanan row), from tpp_bulanan:
-- the additive sums a selection of departments adds up (people counted once, sums of the
-- percentages, the pro-rated maximum of each part and what the predikat / the discipline points
-- took off it) and the department's own rates. How a selection is totalled: the model's YAML.
with baris as (
    select
        periode,
        kode_opd,
        tk,
        tl1 + tl2 + tl3 + tl4 as terlambat,
        psw1 + psw2 + psw3 + psw4 as pulang_cepat,
        hari_efektif,
        persen_kinerja,
        persen_disiplin,
        tpp_kinerja,
        tpp_disiplin,
        -- the part's pro-rated maximum: basis_efektif x bobot / 100 (exact DECIMAL, no division)
        cast(basis_efektif as decimal(24, 10)) * bobot_kinerja * cast(0.01 as decimal(3, 2))
            as kinerja_maksimal,
        cast(basis_efektif as decimal(24, 10)) * bobot_disiplin * cast(0.01 as decimal(3, 2))
            as disiplin_maksimal,
        -- a person counts once over departments: at the UTAMA row (a transfer month has two)
        row_number() over (
            partition by periode, nip
            order by case when segmen = 'UTAMA' then 0 else 1 end, kode_opd
        ) as ke
    from {{ ref('tpp_bulanan') }}
    where {{ dalam_jendela('periode') }}
),

jumlah as (
    select
        periode,
        kode_opd,
        sum(case when ke = 1 then 1 else 0 end) as jumlah_pegawai_provinsi,
        sum(persen_kinerja) as jumlah_persen_kinerja,
        sum(persen_disiplin) as jumlah_persen_disiplin,
        cast(sum(kinerja_maksimal) as decimal(28, 10)) as tpp_kinerja_maksimal,
        cast(sum(disiplin_maksimal) as decimal(28, 10)) as tpp_disiplin_maksimal,
        cast(sum(tpp_kinerja) as decimal(28, 10)) as tpp_kinerja,
        cast(sum(tpp_disiplin) as decimal(28, 10)) as tpp_disiplin,
        sum(tk) as tk,
        sum(terlambat) as terlambat,
        sum(pulang_cepat) as pulang_cepat,
        sum(hari_efektif) as hari_efektif
    from baris
    group by periode, kode_opd
)

select
    periode,
    kode_opd,
    cast(jumlah_pegawai_provinsi as integer) as jumlah_pegawai_provinsi,
    cast(jumlah_persen_kinerja as decimal(18, 4)) as jumlah_persen_kinerja,
    cast(jumlah_persen_disiplin as decimal(18, 4)) as jumlah_persen_disiplin,
    cast(tpp_kinerja_maksimal as decimal(28, 10)) as tpp_kinerja_maksimal,
    cast(tpp_disiplin_maksimal as decimal(28, 10)) as tpp_disiplin_maksimal,
    cast(tpp_kinerja_maksimal - tpp_kinerja as decimal(28, 10)) as hilang_kinerja,
    cast(tpp_disiplin_maksimal - tpp_disiplin as decimal(28, 10)) as hilang_disiplin,
    {{ persen_dari('tk', 'hari_efektif') }} as persen_tk,
    {{ persen_dari('terlambat', 'hari_efektif') }} as persen_terlambat,
    {{ persen_dari('pulang_cepat', 'hari_efektif') }} as persen_pulang_cepat
from jumlah
