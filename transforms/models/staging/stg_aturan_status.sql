-- Share of the basis per employment status and the PPh 21 group it uses.
select
    cast(versi as {{ dbt.type_string() }}) as aturan_versi,
    upper(trim(cast(status as {{ dbt.type_string() }}))) as status,
    cast(persen_basis as decimal(9, 4)) as persen_basis,
    {{ ke_ppm('persen_basis') }} as persen_basis_ppm,
    upper(trim(cast(kelompok_pph21 as {{ dbt.type_string() }}))) as kelompok_pph21
from {{ ref('aturan_status') }}
