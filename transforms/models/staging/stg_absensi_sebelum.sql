-- The taps of the last day of the month before the window (jadwal.md §4): a shift that starts
-- early on the window's first day (before 04:00, e.g. a rulebook shift 00:00-08:00) opens its
-- window [S - 4 h, E + 4 h) on that day, and an early check-in is in that month's file.
-- Empty when the window is open at the start (every loaded month is then in stg_absensi) or
-- when that month's file is not loaded.
{%- set mulai = periode_mulai() %}
with src as (
    select * from {{ source('raw', 'absensi') }}
    {%- if mulai is not none %}
    {%- set sebelum = periode_sebelum(mulai) %}
    {%- set hari_terakhir = modules.datetime.date(mulai[:4] | int, mulai[5:] | int, 1) - modules.datetime.timedelta(days=1) %}
    where periode = '{{ sebelum }}' and waktu >= cast('{{ hari_terakhir }} 00:00:00' as timestamp)
    {%- else %}
    where 1 = 0
    {%- endif %}
)

{{ absensi_bertipe('src') }}
