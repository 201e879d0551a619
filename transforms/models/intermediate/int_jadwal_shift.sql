-- The rostered shifts (jadwal.md §2-§4): one row per valid roster day (a known shift code of
-- the period's rulebook, not LIBUR, not a JADWAL_GANDA day, a NIP of the month's master when
-- that master is loaded; exact duplicate lines count once),
-- for the window and the month on each side of it (their shifts compete for the taps at the
-- window's edges). Times are seconds from midnight of the shift's start day `tanggal` d:
-- start S = detik_masuk, end E = detik_selesai (+ 1 day when the shift crosses midnight),
-- split P = (S + E) / 2 kept doubled as detik_pemisah_x2 (exact for odd sums).
-- `pulang_di_bulan_berikut`: E falls in the next month; `absensi_berikut_ada`: that month's
-- attendance file is loaded, whatever its first days hold (else the check-out is not known
-- yet: PULANG_BELUM_TERSEDIA); `sumber_absensi_berikut`: that file's name.
with periode as (
    select * from {{ ref('int_periode') }}
),

-- the rulebook version of each roster month: its own, else the one of the window month next
-- to it (a month outside the window is only read for its edge shifts)
versi_kandidat as (
    select periode, aturan_versi, 0 as jarak from periode
    union all
    select periode_sebelumnya as periode, aturan_versi, 1 as jarak from periode
    union all
    select periode_berikutnya as periode, aturan_versi, 1 as jarak from periode
),

versi as (
    select periode, aturan_versi
    from (
        select
            *,
            row_number() over (partition by periode order by jarak, aturan_versi) as urutan
        from versi_kandidat
    ) as v
    where urutan = 1
),

baris as (
    select
        periode,
        nip,
        tanggal,
        kode_shift,
        min(line_no) as line_no,
        min(source_file) as source_file
    from {{ ref('stg_jadwal') }}
    group by periode, nip, tanggal, kode_shift
),

-- the loaded attendance files: the window's, and the month after it (its file, not only its
-- first mornings' taps: a loaded file without a check-out means the check-out is missing)
absensi_ada as (
    select distinct periode, source_file from {{ ref('stg_absensi') }}
    union
    select periode, source_file from {{ ref('stg_absensi_berikut') }}
),

-- a line whose NIP is not in its month's master (when that master is loaded) is quarantined
-- and takes no taps: the employee who left at the end of the month before keeps the morning
-- taps of their last night shift even when the next month's roster still lists them
pegawai as (
    select * from {{ ref('stg_pegawai_jadwal') }}
),

master_ada as (
    select distinct periode from pegawai
),

shift as (
    select
        b.periode,
        b.nip,
        b.tanggal,
        b.kode_shift,
        v.aturan_versi,
        s.jam_masuk,
        s.jam_pulang,
        s.detik_masuk,
        s.detik_pulang + case when s.lintas_hari then 86400 else 0 end as detik_selesai,
        s.lintas_hari,
        b.source_file,
        b.line_no
    from baris as b
    inner join versi as v on v.periode = b.periode
    inner join {{ ref('stg_aturan_shift') }} as s
        on s.aturan_versi = v.aturan_versi and s.kode_shift = b.kode_shift
    left join {{ ref('int_jadwal_ganda') }} as g
        on g.periode = b.periode and g.nip = b.nip and g.tanggal = b.tanggal
    left join pegawai as pg on pg.periode = b.periode and pg.nip = b.nip
    left join master_ada as m on m.periode = b.periode
    where g.nip is null and (pg.nip is not null or m.periode is null)
)

select
    s.periode,
    s.nip,
    s.tanggal,
    s.kode_shift,
    s.aturan_versi,
    s.jam_masuk,
    s.jam_pulang,
    s.detik_masuk,
    s.detik_selesai,
    s.detik_masuk + s.detik_selesai as detik_pemisah_x2,
    {{ tambah_detik('s.tanggal', 's.detik_masuk') }} as waktu_mulai,
    {{ tambah_detik('s.tanggal', 's.detik_selesai') }} as waktu_selesai,
    p.periode is not null as dalam_jendela,
    s.lintas_hari and s.tanggal = cast({{ dbt.last_day('s.tanggal', 'month') }} as date)
        as pulang_di_bulan_berikut,
    a.periode is not null as absensi_berikut_ada,
    a.source_file as sumber_absensi_berikut,
    s.source_file,
    s.line_no
from shift as s
left join periode as p on p.periode = s.periode
left join absensi_ada as a
    on a.periode = {{ periode_berikut('s.tanggal') }}
