-- Taps grouped by (periode, nip, calendar date) (tpp-rules §2): a MASUK tap is an arrival, a
-- PULANG tap a departure, a tap without jenis an arrival before the rulebook's split time
-- (12:00:00) and a departure from it on. check-in = earliest arrival, check-out = latest
-- departure. Exact duplicate taps (re-sent by a device) count once: the first level collapses
-- identical lines, keeping the first line number. The line reported for the check-in / check-out
-- is the first line among the taps at that second (two devices can record the same second).
with periode as (
    select periode, detik_pemisah_tap from {{ ref('int_periode') }}
),

unik as (
    select
        periode,
        nip,
        tanggal,
        waktu,
        detik,
        jenis,
        min(line_no) as line_no
    from {{ ref('stg_absensi') }}
    group by periode, nip, tanggal, waktu, detik, jenis, id_mesin, metode, lat, lon
),

tap as (
    select
        u.periode,
        u.nip,
        u.tanggal,
        u.waktu,
        u.line_no,
        -- ordering keys within one day (taps are whole seconds): the second of the day, then
        -- the line (line_no < 2^31, so it only breaks ties of one second; the first line wins)
        cast(u.detik as {{ dbt.type_bigint() }}) * 4294967296 + u.line_no as urutan_baris,
        cast(u.detik as {{ dbt.type_bigint() }}) * 4294967296 - u.line_no as urutan_pulang,
        case
            when u.jenis = 'MASUK' then true
            when u.jenis = 'PULANG' then false
            else u.detik < p.detik_pemisah_tap
        end as datang
    from unik as u
    inner join periode as p on p.periode = u.periode
)

select
    periode,
    nip,
    tanggal,
    min(case when datang then waktu end) as waktu_datang,
    max(case when not datang then waktu end) as waktu_pulang,
    {{ min_by('case when datang then line_no end', 'case when datang then urutan_baris end') }} as baris_datang,
    {{ max_by('case when not datang then line_no end', 'case when not datang then urutan_pulang end') }} as baris_pulang,
    count(*) as jumlah_tap
from tap
group by periode, nip, tanggal
