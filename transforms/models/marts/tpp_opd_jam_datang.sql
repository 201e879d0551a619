{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='sync_all_columns',
        pre_hook="{{ hapus_periode_jendela() }}",
    )
}}
-- Arrival histogram per department and period: check-ins of tpp_harian per 5-minute slot of the
-- clock (WITA wall-clock), clamped to 05:00-11:00, per expected start (jam_masuk). Only the days
-- of a weekly pattern (office, school): a shift's start is not a morning (kode_shift is null).
with datang as (
    select
        periode,
        kode_opd,
        jam_masuk,
        least(
            greatest({{ bagi_bulat('hour(waktu_datang) * 60 + minute(waktu_datang)', 5) }} * 5, 300),
            660
        ) as menit
    from {{ ref('tpp_harian') }}
    where {{ dalam_jendela('periode') }}
        and waktu_datang is not null
        and kode_shift is null
)

select
    periode,
    kode_opd,
    cast(menit as integer) as menit,
    jam_masuk,
    cast(count(*) as integer) as hari
from datang
group by periode, kode_opd, menit, jam_masuk
