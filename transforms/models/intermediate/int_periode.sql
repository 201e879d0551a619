-- The periods of the run window (every period present in the raw zone inside the window) with
-- the rulebook version that computes each one and that version's scalar parameters.
-- Version choice: var aturan_versi when set, else the version effective on the period's first
-- day (latest berlaku_mulai wins); none found -> aturan_versi null (test not_null stops the run).
{%- set paksa = aturan_versi_paksa() %}

with ditemukan as (
    select periode from {{ ref('stg_pegawai') }} where {{ dalam_jendela('periode') }}
    union
    select periode from {{ ref('stg_absensi') }}
    union
    select periode from {{ ref('stg_ketidakhadiran') }}
    union
    select periode from {{ ref('stg_kinerja') }}
    union
    select periode from {{ ref('stg_aktivitas') }}
    union
    select periode from {{ ref('stg_karantina') }}
),

periode as (
    select
        periode,
        {{ awal_periode('periode') }} as tanggal_awal
    from ditemukan
),

periode_lengkap as (
    select
        periode,
        tanggal_awal,
        cast({{ dbt.last_day('tanggal_awal', 'month') }} as date) as tanggal_akhir,
        {{ periode_dari(dbt.dateadd('month', -1, 'tanggal_awal')) }} as periode_sebelumnya,
        {{ periode_berikut('tanggal_awal') }} as periode_berikutnya
    from periode
),

versi as (
    select * from {{ ref('stg_aturan_versi') }}
),

{% if paksa %}
pilihan as (
    select p.periode, v.aturan_versi
    from periode_lengkap as p
    left join versi as v on v.aturan_versi = '{{ paksa }}'
),
{% else %}
kandidat as (
    select
        p.periode,
        v.aturan_versi,
        row_number() over (
            partition by p.periode order by v.berlaku_mulai desc, v.aturan_versi
        ) as urutan
    from periode_lengkap as p
    inner join versi as v
        on v.berlaku_mulai <= p.tanggal_awal
        and (v.berlaku_sampai is null or v.berlaku_sampai >= p.tanggal_awal)
),

pilihan as (
    select p.periode, k.aturan_versi
    from periode_lengkap as p
    left join kandidat as k on k.periode = p.periode and k.urutan = 1
),
{% endif %}

snapshot as (
    select distinct periode from {{ ref('stg_pegawai') }}
),

-- the period's current attendance file (one per period): lineage of every tap line number
file_absensi as (
    select periode, min(source_file) as sumber_absensi
    from {{ ref('stg_absensi') }}
    group by periode
)

select
    p.periode,
    p.tanggal_awal,
    p.tanggal_akhir,
    p.periode_sebelumnya,
    p.periode_berikutnya,
    s.periode is not null as ada_pegawai,
    s_prev.periode is not null as ada_pegawai_sebelumnya,
    v.aturan_versi,
    v.bobot_kinerja,
    v.bobot_disiplin,
    v.persen_bpjs,
    v.bobot_kinerja_ppm,
    v.bobot_disiplin_ppm,
    v.persen_bpjs_ppm,
    v.dasar_potongan,
    v.jam_pemisah_tap,
    v.detik_pemisah_tap,
    fa.sumber_absensi
from periode_lengkap as p
left join pilihan as pl on pl.periode = p.periode
left join versi as v on v.aturan_versi = pl.aturan_versi
left join snapshot as s on s.periode = p.periode
left join snapshot as s_prev on s_prev.periode = p.periode_sebelumnya
left join file_absensi as fa on fa.periode = p.periode
