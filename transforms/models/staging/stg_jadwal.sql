-- Shift roster (jadwal.md §3), one row per raw line. The months next to the window are read
-- too: a night shift of the month before can end on the window's first morning, one of the
-- window's last day ends in the month after, and their taps go to the nearer shift (§4).
-- Codes are checked against the period's rulebook, and two different rows for one day are
-- quarantined, in int_karantina_referensial.
with src as (
    select * from {{ source('raw', 'jadwal') }}
    where {{ dalam_jendela('periode', with_previous=true, with_next=true) }}
)

select
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_no as integer) as line_no,
    trim(cast(nip as {{ dbt.type_string() }})) as nip,
    cast(tanggal as date) as tanggal,
    upper(trim(cast(kode_shift as {{ dbt.type_string() }}))) as kode_shift
from src
