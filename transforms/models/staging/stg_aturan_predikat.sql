-- persen_kinerja per predikat.
select
    cast(versi as {{ dbt.type_string() }}) as aturan_versi,
    upper(trim(cast(predikat as {{ dbt.type_string() }}))) as predikat,
    cast(persen_kinerja as decimal(9, 4)) as persen_kinerja
from {{ ref('aturan_predikat') }}
