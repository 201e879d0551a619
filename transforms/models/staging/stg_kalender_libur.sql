-- National holidays and cuti bersama; several entries on one date count once.
select
    cast(tanggal as date) as tanggal,
    min(upper(trim(cast(jenis as {{ dbt.type_string() }})))) as jenis,
    min(cast(keterangan as {{ dbt.type_string() }})) as keterangan
from {{ ref('kalender_libur') }}
group by cast(tanggal as date)
