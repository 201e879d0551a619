{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='sync_all_columns',
        pre_hook="{{ hapus_periode_jendela() }}",
    )
}}
-- Per department, period and weekday (ISO 1-7): working days of tpp_harian, the days with a
-- late arrival (TL), an early departure (PSW) or absent without reason (TK), and their rates
-- per 100 working days.
with hari as (
    select
        periode,
        kode_opd,
        cast(hari_iso as integer) as hari_iso,
        count(*) as hari_kerja,
        sum(case when kode_datang is not null then 1 else 0 end) as terlambat,
        sum(case when kode_pulang is not null then 1 else 0 end) as pulang_cepat,
        sum(case when kode_hari = 'TK' then 1 else 0 end) as tk
    from {{ ref('tpp_harian') }}
    where {{ dalam_jendela('periode') }}
    group by periode, kode_opd, cast(hari_iso as integer)
)

select
    periode,
    kode_opd,
    hari_iso,
    cast(hari_kerja as integer) as hari_kerja,
    cast(terlambat as integer) as terlambat,
    cast(pulang_cepat as integer) as pulang_cepat,
    cast(tk as integer) as tk,
    {{ persen_dari('terlambat', 'hari_kerja') }} as persen_terlambat,
    {{ persen_dari('pulang_cepat', 'hari_kerja') }} as persen_pulang_cepat,
    {{ persen_dari('tk', 'hari_kerja') }} as persen_tk
from hari
