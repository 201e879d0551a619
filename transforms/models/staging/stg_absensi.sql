-- Attendance taps, one row per raw line (lineage kept for the quarantine). Exact re-sent
-- duplicates are collapsed where taps are counted (int_tap_harian): on 8M taps a grouped
-- dedupe there is several times cheaper than a window here.
with src as (
    select * from {{ source('raw', 'absensi') }}
    where {{ dalam_jendela('periode') }}
)

{{ absensi_bertipe('src') }}
