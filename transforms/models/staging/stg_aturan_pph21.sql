-- Final PPh 21 rate per group and rank.
select
    cast(versi as {{ dbt.type_string() }}) as aturan_versi,
    upper(trim(cast(kelompok as {{ dbt.type_string() }}))) as kelompok_pph21,
    trim(cast(golongan as {{ dbt.type_string() }})) as golongan_pokok,
    cast(tarif as decimal(9, 4)) as tarif_pph21,
    {{ ke_ppm('tarif') }} as tarif_pph21_ppm
from {{ ref('aturan_pph21') }}
