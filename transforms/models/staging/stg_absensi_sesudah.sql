-- The taps of the first two days of the month after the window (jadwal.md §4): a night shift
-- that starts on the window's last day ends there, and its check-out is in that month's file.
-- Empty when the window is open at the end (every loaded month is then in stg_absensi) or
-- when that month's file is not loaded yet.
{%- set sampai = periode_sampai() %}
with src as (
    select * from {{ source('raw', 'absensi') }}
    {%- if sampai is not none %}
    {%- set berikut = periode_sesudah(sampai) %}
    where periode = '{{ berikut }}' and waktu < cast('{{ berikut }}-03 00:00:00' as timestamp)
    {%- else %}
    where 1 = 0
    {%- endif %}
)

{{ absensi_bertipe('src') }}
