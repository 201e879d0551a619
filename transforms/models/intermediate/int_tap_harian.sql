-- Taps grouped by (periode, nip, calendar date) (tpp-rules §2): a MASUK tap is an arrival, a
-- PULANG tap a departure, a tap without jenis an arrival before the split time of the day and
-- a departure from it on. The split is the one of the employee's pattern on that day (KANTOR
-- 12:00:00, SEKOLAH 10:00:00 / Friday 09:00:00 ...; jadwal.md §1); a day outside every active
-- segment's pattern (a weekend tap of an office worker: no working day, unused) takes the
-- version's jam_pemisah_tap. check-in = earliest arrival, check-out = latest
-- departure. Exact duplicate taps (re-sent by a device) count once: the first level collapses
-- identical lines, keeping the first line number. The line reported for the check-in / check-out
-- is the first line among the taps at that second (two devices can record the same second).
with periode as (
    select periode, detik_pemisah_tap from {{ ref('int_periode') }}
),

-- the split of each working day of each employee, from the pattern of the segment that day
pemisah_hari as (
    select s.periode, s.nip, k.tanggal, min(k.detik_pemisah) as detik_pemisah
    from {{ ref('int_pegawai_segmen') }} as s
    inner join {{ ref('int_kalender') }} as k
        on k.periode = s.periode
        and k.pola = s.pola_hari
        and k.tanggal between s.mulai and s.selesai
    where s.aktif and k.detik_pemisah is not null
    group by s.periode, s.nip, k.tanggal
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
            else u.detik < coalesce(ph.detik_pemisah, p.detik_pemisah_tap)
        end as datang
    from unik as u
    inner join periode as p on p.periode = u.periode
    left join pemisah_hari as ph
        on ph.periode = u.periode and ph.nip = u.nip and ph.tanggal = u.tanggal
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
