-- Absences (all statuses), one row per raw line; `duplikat` marks exact copies of an earlier line.
with src as (
    select * from {{ source('raw', 'ketidakhadiran') }}
    where {{ dalam_jendela('periode') }}
),

typed as (
    {{ ketidakhadiran_bertipe('src') }}
)

select
    *,
    row_number() over (
        partition by periode, nip, kode, mulai, selesai, status, nomor_surat
        order by line_no
    ) > 1 as duplikat
from typed
