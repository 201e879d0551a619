-- What-if fast path: the amounts of PUBLISHED tpp_bulanan rows under a candidate rulebook version,
-- with the money formula of the pipeline (macros/jumlah_tpp.sql). The day facts are kept as
-- published (hari_kerja, hari_efektif, persen_disiplin, predikat, status, golongan, kelas); the
-- rulebook numbers come from the candidate version (KINERJA_WHATIF_VERSI) in the rulebook seeds, so
-- this is right only when the candidate keeps the working hours, deduction bands and tap split
-- of the published rows' versions (orchestration/whatif.py fast_path_reason checks it).
-- Enabled only in the what-if sandbox (KINERJA_WHATIF_FAKTA = parquet of the published rows):
-- never part of the pipeline's build nor of Dagster's asset graph.
-- The candidate version comes as KINERJA_WHATIF_VERSI (not a var: a new var forces a full parse).
{{ config(enabled=env_var('KINERJA_WHATIF_FAKTA', '') != '', materialized='table') }}
{%- set versi = env_var('KINERJA_WHATIF_VERSI', '') %}

with fakta as (
    select
        periode,
        nip,
        kode_opd,
        upper(trim(status)) as status,
        {{ dbt.split_part('golongan', "'/'", 1) }} as golongan_pokok,
        cast(kelas_jabatan as integer) as kelas_jabatan,
        upper(trim(predikat)) as predikat,
        hari_kerja,
        hari_efektif,
        cast(persen_disiplin as decimal(9, 4)) as persen_disiplin
    from {{ source('whatif', 'tpp_terbit') }}
),

versi as (
    select * from {{ ref('stg_aturan_versi') }} where aturan_versi = '{{ versi }}'
),

basis as (
    select * from {{ ref('stg_aturan_basis') }} where aturan_versi = '{{ versi }}'
),

status_aturan as (
    select * from {{ ref('stg_aturan_status') }} where aturan_versi = '{{ versi }}'
),

predikat as (
    select * from {{ ref('stg_aturan_predikat') }} where aturan_versi = '{{ versi }}'
),

pph as (
    select * from {{ ref('stg_aturan_pph21') }} where aturan_versi = '{{ versi }}'
),

baris as (
    select
        f.periode,
        f.nip,
        f.kode_opd,
        f.hari_kerja,
        f.hari_efektif,
        f.persen_disiplin,
        cast(coalesce(pr.persen_kinerja, 0) as decimal(9, 4)) as persen_kinerja,
        coalesce(b_opd.basis, b_umum.basis) as basis_jabatan,
        st.persen_basis_ppm,
        t.tarif_pph21_ppm,
        v.bobot_kinerja_ppm,
        v.bobot_disiplin_ppm,
        v.persen_bpjs_ppm,
        v.dasar_potongan
    from fakta as f
    cross join versi as v
    left join basis as b_opd
        on b_opd.kode_opd = f.kode_opd and b_opd.kelas_jabatan = f.kelas_jabatan
    left join basis as b_umum
        on b_umum.kode_opd = '*' and b_umum.kelas_jabatan = f.kelas_jabatan
    left join status_aturan as st on st.status = f.status
    left join predikat as pr on pr.predikat = f.predikat
    left join pph as t
        on t.kelompok_pph21 = st.kelompok_pph21 and t.golongan_pokok = f.golongan_pokok
),

jumlah as (
    {{ jumlah_tpp('baris') }}
)

select
    periode,
    nip,
    kode_opd,
    cast(tpp_kinerja_hitung as bigint) as tpp_kinerja,
    cast(tpp_disiplin_hitung as bigint) as tpp_disiplin,
    cast(tpp_bruto_hitung as bigint) as tpp_bruto,
    cast(pph21_hitung as bigint) as pph21,
    cast(iuran_bpjs_hitung as bigint) as iuran_bpjs,
    cast(tpp_neto_hitung as bigint) as tpp_neto
from jumlah
