-- National holidays and cuti bersama; several entries on one date count once.
select
    cast(tanggal as date) as tanggal,
    min(upper(trim(cast(jenis as varchar)))) as jenis,
    min(cast(keterangan as varchar)) as keterangan
from {{ ref('kalender_libur') }}
group by cast(tanggal as date)
