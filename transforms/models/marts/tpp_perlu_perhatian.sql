{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='sync_all_columns',
        pre_hook="{{ hapus_periode_jendela() }}",
    )
}}
-- The people the app lists as "perlu perhatian" (needs attention): rows of tpp_bulanan with a TK
-- day, discipline below 95 %, no FINAL evaluation or a performance percentage below 100 (a
-- predikat under BAIK), ranked per period by visible columns (urutan): most TK days, then the
-- lowest discipline, then no evaluation, then the lowest performance, then name, NIP, department.
select
    periode,
    nip,
    kode_opd,
    nama,
    nama_jabatan,
    predikat,
    tanpa_penilaian,
    persen_disiplin,
    persen_kinerja,
    tk,
    cast(tl1 + tl2 + tl3 + tl4 as integer) as terlambat,
    cast(psw1 + psw2 + psw3 + psw4 as integer) as pulang_cepat,
    izin,
    tpp_bruto,
    tpp_neto,
    cast(coalesce(pola_kerja, 'KANTOR') as {{ dbt.type_string() }}) as pola_kerja,
    cast(row_number() over (
        partition by periode
        order by
            tk desc,
            persen_disiplin asc,
            case when tanpa_penilaian then 1 else 0 end desc,
            persen_kinerja asc,
            nama asc,
            nip asc,
            kode_opd asc
    ) as integer) as urutan
from {{ ref('tpp_bulanan') }}
where {{ dalam_jendela('periode') }}
    and (tk > 0 or persen_disiplin < 95 or tanpa_penilaian or persen_kinerja < 100)
