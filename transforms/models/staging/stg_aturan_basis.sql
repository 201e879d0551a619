-- TPP maximum per (kode_opd | '*', kelas_jabatan), rupiah per month.
select
    cast(versi as {{ dbt.type_string() }}) as aturan_versi,
    trim(cast(kode_opd as {{ dbt.type_string() }})) as kode_opd,
    cast(kelas_jabatan as integer) as kelas_jabatan,
    cast(basis as bigint) as basis
from {{ ref('aturan_basis') }}
