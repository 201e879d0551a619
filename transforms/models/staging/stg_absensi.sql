-- Attendance taps, one row per raw line (lineage kept for the quarantine). Exact re-sent
-- duplicates are collapsed where taps are counted (int_tap_harian): on 8M taps a grouped
-- dedupe there is several times cheaper than a window here.
with src as (
    select * from {{ source('raw', 'absensi') }}
    where {{ dalam_jendela('periode') }}
),

typed as (
    select
        cast(periode as {{ dbt.type_string() }}) as periode,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(line_no as integer) as line_no,
        trim(cast(id_mesin as {{ dbt.type_string() }})) as id_mesin,
        trim(cast(nip as {{ dbt.type_string() }})) as nip,
        cast(waktu as timestamp) as waktu,
        nullif(upper(trim(cast(jenis as {{ dbt.type_string() }}))), '') as jenis,
        upper(trim(cast(metode as {{ dbt.type_string() }}))) as metode,
        cast(lat as double) as lat,
        cast(lon as double) as lon
    from src
)

select
    periode,
    source_file,
    line_no,
    id_mesin,
    nip,
    waktu,
    cast(waktu as date) as tanggal,
    {{ detik_hari('waktu') }} as detik,
    jenis,
    metode,
    lat,
    lon
from typed
