-- Ramadan periods (inclusive).
select
    cast(tahun as integer) as tahun,
    cast(mulai as date) as mulai,
    cast(selesai as date) as selesai,
    cast(keterangan as {{ dbt.type_string() }}) as keterangan
from {{ ref('kalender_ramadan') }}
