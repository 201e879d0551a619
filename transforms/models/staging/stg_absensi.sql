-- Attendance taps, one row per raw line (lineage kept for the quarantine). Exact re-sent
-- duplicates count once where taps are counted (int_tap_harian, among the few taps that share
-- a second): far cheaper on 8M taps than a window or a grouped dedupe here.
with src as (
    select * from {{ source('raw', 'absensi') }}
    where {{ dalam_jendela('periode') }}
)

{{ absensi_bertipe('src') }}
