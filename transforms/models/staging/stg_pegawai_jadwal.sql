-- The NIPs of each master snapshot of the roster months (the window and the month on each side
-- of it, as stg_jadwal): a roster line whose NIP is not in its month's master is quarantined
-- (int_karantina_referensial) and must take no taps from a shift of a month the employee was
-- in (jadwal.md §4: the month after an employee's last day may still roster them).
select distinct
    cast(periode as {{ dbt.type_string() }}) as periode,
    trim(cast(nip as {{ dbt.type_string() }})) as nip
from {{ source('raw', 'pegawai') }}
where {{ dalam_jendela('periode', with_previous=true, with_next=true) }}
