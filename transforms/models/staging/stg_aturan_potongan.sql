-- Discipline codes: minute bands (TL/PSW), TK, absence codes with priority and effectiveness.
select
    cast(versi as {{ dbt.type_string() }}) as aturan_versi,
    upper(trim(cast(kode as {{ dbt.type_string() }}))) as kode,
    upper(trim(cast(kategori as {{ dbt.type_string() }}))) as kategori,
    cast(menit_min as integer) as menit_min,
    cast(menit_max as integer) as menit_max,
    coalesce(cast(tanpa_tap as boolean), false) as tanpa_tap,
    cast(coalesce(poin, 0) as decimal(9, 4)) as poin,
    cast(coalesce(poin_per_menit, 0) as decimal(9, 4)) as poin_per_menit,
    cast(prioritas as integer) as prioritas,
    coalesce(cast(hari_efektif as boolean), true) as hari_efektif,
    cast(keterangan as {{ dbt.type_string() }}) as keterangan
from {{ ref('aturan_potongan') }}
