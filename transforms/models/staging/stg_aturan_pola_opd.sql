-- The work pattern of each department when the master leaves pola_kerja empty ('*' = fallback).
select
    cast(versi as {{ dbt.type_string() }}) as aturan_versi,
    trim(cast(kode_opd as {{ dbt.type_string() }})) as kode_opd,
    upper(trim(cast(pola as {{ dbt.type_string() }}))) as pola
from {{ ref('aturan_pola_opd') }}
