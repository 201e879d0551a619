-- The taps of each rostered shift of the window (jadwal.md §4). A shift's window is
-- [S - 4 h, E + 4 h); a tap inside the windows of two shifts of the same employee belongs to
-- the shift whose S or E is nearer to it, a tie to the later shift; a tap in no window is not
-- used. Taps are read from the window's files, from the first mornings of the month after
-- (a night shift of the last day ends there) and from the last day of the month before (a
-- shift starting before 04:00 on the first day opens its window there). Arrival = MASUK, or no jenis and before the
-- split P = (S + E) / 2; departure = PULANG, or no jenis and at or after P. Check-in = the
-- earliest arrival, check-out = the latest departure; at one second the first line wins.
-- Exact duplicate taps count once. Seconds are counted from midnight of the shift's day.
with shift as (
    select * from {{ ref('int_jadwal_shift') }}
),

pegawai_shift as (
    select distinct nip from shift
),

tap_mentah as (
    select * from {{ ref('stg_absensi') }}
    union all
    select * from {{ ref('stg_absensi_sesudah') }}
    union all
    select * from {{ ref('stg_absensi_sebelum') }}
),

tap as (
    select
        t.periode as periode_tap,
        t.source_file,
        t.nip,
        t.tanggal,
        t.waktu,
        t.detik,
        t.jenis,
        min(t.line_no) as line_no
    from tap_mentah as t
    inner join pegawai_shift as ps on ps.nip = t.nip
    group by
        t.periode, t.source_file, t.nip, t.tanggal, t.waktu, t.detik, t.jenis,
        t.id_mesin, t.metode, t.lat, t.lon
),

-- a shift's window lies within the day before its start and the two days after it
geser as (
    select -1 as hari union all select 0 union all select 1 union all select 2
),

kunci as (
    select s.*, g.hari as geser_hari, {{ tambah_hari('s.tanggal', 'g.hari') }} as tanggal_tap
    from shift as s
    cross join geser as g
),

kandidat as (
    select
        k.periode,
        k.nip,
        k.tanggal,
        k.detik_masuk,
        k.detik_pemisah_x2,
        k.dalam_jendela,
        t.periode_tap,
        t.source_file,
        t.line_no,
        t.waktu,
        t.jenis,
        k.geser_hari * 86400 + t.detik as detik,
        least(
            abs(k.geser_hari * 86400 + t.detik - k.detik_masuk),
            abs(k.geser_hari * 86400 + t.detik - k.detik_selesai)
        ) as jarak
    from tap as t
    inner join kunci as k on k.nip = t.nip and k.tanggal_tap = t.tanggal
    where {{ dalam_jendela_shift('k.geser_hari * 86400 + t.detik', 'k') }}
),

milik as (
    select
        *,
        case
            when jenis = 'MASUK' then true
            when jenis = 'PULANG' then false
            else 2 * detik < detik_pemisah_x2
        end as datang
    from (
        select
            *,
            row_number() over (
                partition by periode_tap, line_no
                order by jarak, tanggal desc, detik_masuk desc
            ) as pilihan
        from kandidat
    ) as k
    where pilihan = 1 and dalam_jendela
),

urut as (
    select
        *,
        row_number() over (
            partition by periode, nip, tanggal, datang order by detik, line_no
        ) as urutan_awal,
        row_number() over (
            partition by periode, nip, tanggal, datang order by detik desc, line_no
        ) as urutan_akhir
    from milik
),

jumlah as (
    select periode, nip, tanggal, count(*) as jumlah_tap
    from milik
    group by periode, nip, tanggal
)

select
    j.periode,
    j.nip,
    j.tanggal,
    d.waktu as waktu_datang,
    p.waktu as waktu_pulang,
    d.detik as detik_datang,
    p.detik as detik_pulang,
    d.line_no as baris_datang,
    p.line_no as baris_pulang,
    d.source_file as sumber_datang,
    p.source_file as sumber_pulang,
    j.jumlah_tap
from jumlah as j
left join urut as d
    on d.periode = j.periode and d.nip = j.nip and d.tanggal = j.tanggal
    and d.datang and d.urutan_awal = 1
left join urut as p
    on p.periode = j.periode and p.nip = j.nip and p.tanggal = j.tanggal
    and not p.datang and p.urutan_akhir = 1
