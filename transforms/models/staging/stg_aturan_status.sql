-- Share of the basis per employment status and the PPh 21 group it uses.
select
    cast(versi as varchar) as aturan_versi,
    upper(trim(cast(status as varchar))) as status,
    cast(persen_basis as decimal(9, 4)) as persen_basis,
    {{ ke_ppm('persen_basis') }} as persen_basis_ppm,
    upper(trim(cast(kelompok_pph21 as varchar))) as kelompok_pph21
from {{ ref('aturan_status') }}
