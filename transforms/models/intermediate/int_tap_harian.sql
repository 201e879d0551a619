-- Taps grouped by (periode, nip, calendar date) (tpp-rules §2): a MASUK tap is an arrival, a
-- PULANG tap a departure, a tap without jenis an arrival before the split time of the day and
-- a departure from it on. The split is the one of the employee's pattern on that day (KANTOR
-- 12:00:00, SEKOLAH 10:00:00 / Friday 09:00:00 ...; jadwal.md §1); a day outside every active
-- segment's pattern (a weekend tap of an office worker: no working day, unused) takes the
-- version's jam_pemisah_tap. check-in = earliest arrival, check-out = latest
-- departure. Exact duplicate taps (re-sent by a device) count once: the day's count subtracts
-- the extra copies of identical taps (ingest drops identical lines of a file, but not two
-- spellings of one value, e.g. lat 1.5 / 1.50). The line reported for the check-in / check-out
-- is the first line among the taps at that second (two devices can record the same second).
with periode as (
    select periode, detik_pemisah_tap from {{ ref('int_periode') }}
),

-- the split of the working days whose pattern splits elsewhere than the version's
-- jam_pemisah_tap (a teacher's day; KANTOR splits at it): few rows, a cheap join for 8 M taps
pemisah_hari as (
    select s.periode, s.nip, k.tanggal, min(k.detik_pemisah) as detik_pemisah
    from {{ ref('int_pegawai_segmen') }} as s
    inner join periode as p on p.periode = s.periode
    inner join {{ ref('int_kalender') }} as k
        on k.periode = s.periode
        and k.pola = s.pola_hari
        and k.tanggal between s.mulai and s.selesai
    where s.aktif and k.detik_pemisah <> p.detik_pemisah_tap
    group by s.periode, s.nip, k.tanggal
),

tap as (
    select
        periode,
        nip,
        tanggal,
        waktu,
        jenis,
        -- ordering keys within one day (taps are whole seconds): the second of the day, then
        -- the line (line_no < 2^31, so it only breaks ties of one second; the first line wins)
        cast(detik as {{ dbt.type_bigint() }}) * 4294967296 + line_no as urutan_baris,
        cast(detik as {{ dbt.type_bigint() }}) * 4294967296 - line_no as urutan_pulang
    from {{ ref('stg_absensi') }}
),

-- Exact duplicates (the same values in every column but the line) change only the count of the
-- day: a copy has its original's second, jenis and a later line, so no earliest / latest key
-- below moves. Copies share (periode, nip, waktu): the taps whose key hash occurs more than once
-- are the only candidates (a hash collision adds candidates, never loses one), a few hundred a
-- year (two devices in one second); the exact grouping by every column runs on those only.
detik_ganda as (
    select {{ hash_kunci(['periode', 'nip', 'waktu']) }} as kunci
    from {{ ref('stg_absensi') }}
    group by {{ hash_kunci(['periode', 'nip', 'waktu']) }}
    having count(*) > 1
),

salinan as (
    select periode, nip, tanggal, sum(jumlah - 1) as jumlah_salinan
    from (
        select periode, nip, tanggal, count(*) as jumlah
        from {{ ref('stg_absensi') }}
        where {{ hash_kunci(['periode', 'nip', 'waktu']) }} in (select kunci from detik_ganda)
        group by periode, nip, tanggal, waktu, detik, jenis, id_mesin, metode, lat, lon
        having count(*) > 1
    ) as ganda
    group by periode, nip, tanggal
),

-- Per day, what does not depend on the split, as plain min / max (cheap at 8 M taps): the
-- earliest MASUK and the latest PULANG tap, and the earliest and the latest tap without jenis.
-- The earliest tap without jenis is an arrival exactly when any tap without jenis is (it is
-- before the split), the latest one a departure exactly when any is: so the day's check-in /
-- check-out follow from these four and the day's split, without joining the split to every tap.
hari as (
    select
        periode,
        nip,
        tanggal,
        min(case when jenis = 'MASUK' then waktu end) as masuk_waktu,
        min(case when jenis = 'MASUK' then urutan_baris end) as masuk_urutan,
        max(case when jenis = 'PULANG' then waktu end) as pulang_waktu,
        max(case when jenis = 'PULANG' then urutan_pulang end) as pulang_urutan,
        min(case when jenis is null then waktu end) as awal_waktu,
        min(case when jenis is null then urutan_baris end) as awal_urutan,
        max(case when jenis is null then waktu end) as akhir_waktu,
        max(case when jenis is null then urutan_pulang end) as akhir_urutan,
        count(*) as jumlah_tap
    from tap
    group by periode, nip, tanggal
),

pilihan as (
    select
        h.*,
        c.jumlah_salinan,
        -- the second of the day is the key's high part (taps are whole seconds)
        {{ bagi_bulat('h.awal_urutan', 4294967296) }}
            < coalesce(ph.detik_pemisah, p.detik_pemisah_tap)
            and (h.masuk_urutan is null or h.awal_urutan < h.masuk_urutan) as datang_tanpa_jenis,
        {{ bagi_bulat('h.akhir_urutan + 4294967295', 4294967296) }}
            >= coalesce(ph.detik_pemisah, p.detik_pemisah_tap)
            and (h.pulang_urutan is null or h.akhir_urutan > h.pulang_urutan) as pulang_tanpa_jenis
    from hari as h
    inner join periode as p on p.periode = h.periode
    left join pemisah_hari as ph
        on ph.periode = h.periode and ph.nip = h.nip and ph.tanggal = h.tanggal
    left join salinan as c
        on c.periode = h.periode and c.nip = h.nip and c.tanggal = h.tanggal
),

terpilih as (
    select
        periode,
        nip,
        tanggal,
        case when datang_tanpa_jenis then awal_waktu else masuk_waktu end as waktu_datang,
        case when pulang_tanpa_jenis then akhir_waktu else pulang_waktu end as waktu_pulang,
        case when datang_tanpa_jenis then awal_urutan else masuk_urutan end as urutan_datang,
        case when pulang_tanpa_jenis then akhir_urutan else pulang_urutan end as urutan_pulang,
        cast(jumlah_tap - coalesce(jumlah_salinan, 0) as {{ dbt.type_bigint() }}) as jumlah_tap
    from pilihan
)

-- the line is the key's low part: urutan_baris = detik x 2^32 + line (arrivals),
-- urutan_pulang = detik x 2^32 - line (departures)
select
    periode,
    nip,
    tanggal,
    waktu_datang,
    waktu_pulang,
    cast(urutan_datang - {{ bagi_bulat('urutan_datang', 4294967296) }} * 4294967296 as integer)
        as baris_datang,
    cast({{ bagi_bulat('urutan_pulang + 4294967295', 4294967296) }} * 4294967296 - urutan_pulang
        as integer) as baris_pulang,
    jumlah_tap
from terpilih
