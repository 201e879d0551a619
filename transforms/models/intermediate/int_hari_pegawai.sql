-- The employee-day grid: every working day of every active department segment, classified
-- exactly as tpp-rules §2 (first rule that applies wins):
--   1. an approved absence covers the day -> its code, taps ignored;
--   2. no check-in and no check-out -> TK;
--   3. otherwise HADIR with at most one arrival code (TL bands; no check-in -> the band marked
--      tanpa_tap) and one departure code (PSW bands; no check-out -> the band marked tanpa_tap).
-- Minutes are whole minutes rounded down, never negative. Points come from the rulebook:
-- poin + poin_per_menit x minutes per code. CLTN/TB (hari_efektif false in the rulebook) make
-- the day not effective. Taps are joined per day (no taps x days explosion). The working days and
-- hours are those of the segment's weekly pattern (pola_hari: KANTOR, SEKOLAH; jadwal.md §1), or
-- of its roster (SHIFT, jadwal.md §4): every rostered shift is a working day whatever the
-- calendar says, with that shift's start S and end E (a night shift ends the next day) and the
-- taps of its window (int_tap_shift). While the next month's file is not loaded, a night shift
-- of the month's last day has no check-out yet: no PSW code (pulang_belum_tersedia).
with segmen as (
    select periode, nip, kode_opd, segmen, mulai, selesai, pola_kerja, pola_hari
    from {{ ref('int_pegawai_segmen') }}
    where aktif
),

kalender as (
    select * from {{ ref('int_kalender') }} where hari_kerja
),

tap as (
    select * from {{ ref('int_tap_harian') }}
),

hari_kalender as (
    select distinct periode, tanggal, hari_iso, ramadan, aturan_versi, sumber_absensi
    from {{ ref('int_kalender') }}
),

shift as (
    select * from {{ ref('int_jadwal_shift') }} where dalam_jendela
),

tap_shift as (
    select * from {{ ref('int_tap_shift') }}
),

absen as (
    select * from {{ ref('int_absen_hari') }}
),

potongan as (
    select * from {{ ref('stg_aturan_potongan') }}
),

-- minute -> band lookup per version and category, so the day grid joins on equality (cheap)
-- instead of on ranges: one row per minute 0..24*60 inside a band, plus menit = -1 for the band
-- that applies when the tap is missing (tanpa_tap). Points = poin + poin_per_menit x minutes.
digit as (
    {%- for i in range(10) %}
    select {{ i }} as d{% if not loop.last %} union all{% endif %}
    {%- endfor %}
),

menit_hari as (
    select a.d + 10 * b.d + 100 * c.d + 1000 * e.d as menit
    from digit as a
    cross join digit as b
    cross join digit as c
    cross join digit as e
    where a.d + 10 * b.d + 100 * c.d + 1000 * e.d <= 24 * 60
),

pita as (
    select p.aturan_versi, p.kategori, m.menit, p.kode, p.poin + p.poin_per_menit * m.menit as poin
    from potongan as p
    inner join menit_hari as m
        on m.menit >= p.menit_min
        and (p.menit_max is null or m.menit <= p.menit_max)
    where p.kategori in ('TERLAMBAT', 'PULANG_CEPAT')

    union all

    select aturan_versi, kategori, -1 as menit, kode, poin
    from potongan
    where kategori in ('TERLAMBAT', 'PULANG_CEPAT') and tanpa_tap
),

hari_pola as (
    select
        s.periode,
        s.nip,
        s.kode_opd,
        s.segmen,
        s.pola_kerja,
        k.tanggal,
        k.hari_iso,
        k.ramadan,
        k.aturan_versi,
        k.jam_masuk,
        k.jam_pulang,
        k.detik_masuk,
        k.detik_pulang,
        cast(null as {{ dbt.type_string() }}) as kode_shift,
        t.waktu_datang,
        t.waktu_pulang,
        {{ detik_hari('t.waktu_datang') }} as detik_datang,
        {{ detik_hari('t.waktu_pulang') }} as detik_pulang_tap,
        coalesce(t.jumlah_tap, 0) as jumlah_tap,
        t.baris_datang,
        t.baris_pulang,
        case when t.jumlah_tap > 0 then k.sumber_absensi end as sumber_absensi,
        case when t.waktu_pulang is not null then k.sumber_absensi end as sumber_absensi_pulang,
        false as pulang_tertunda
    from segmen as s
    inner join kalender as k
        on k.periode = s.periode
        and k.pola = s.pola_hari
        and k.tanggal between s.mulai and s.selesai
    left join tap as t
        on t.periode = s.periode and t.nip = s.nip and t.tanggal = k.tanggal
),

hari_shift as (
    select
        s.periode,
        s.nip,
        s.kode_opd,
        s.segmen,
        s.pola_kerja,
        j.tanggal,
        k.hari_iso,
        k.ramadan,
        k.aturan_versi,
        j.jam_masuk,
        j.jam_pulang,
        j.detik_masuk,
        j.detik_selesai as detik_pulang,
        j.kode_shift,
        t.waktu_datang,
        t.waktu_pulang,
        t.detik_datang,
        t.detik_pulang as detik_pulang_tap,
        coalesce(t.jumlah_tap, 0) as jumlah_tap,
        t.baris_datang,
        t.baris_pulang,
        coalesce(t.sumber_datang, t.sumber_pulang) as sumber_absensi,
        -- the file of the check-out tap; a night shift whose check-out the next month's
        -- loaded file lacks: that file (it settled the missing check-out)
        coalesce(
            t.sumber_pulang,
            case when j.pulang_di_bulan_berikut then j.sumber_absensi_berikut end
        ) as sumber_absensi_pulang,
        j.pulang_di_bulan_berikut and not j.absensi_berikut_ada as pulang_tertunda
    from segmen as s
    inner join shift as j
        on j.periode = s.periode
        and j.nip = s.nip
        and j.tanggal between s.mulai and s.selesai
    inner join hari_kalender as k on k.periode = j.periode and k.tanggal = j.tanggal
    left join tap_shift as t
        on t.periode = j.periode and t.nip = j.nip and t.tanggal = j.tanggal
    where s.pola_hari = 'SHIFT'
),

hari as (
    select
        g.*,
        a.kode_absen,
        a.nomor_surat,
        a.jumlah_absen,
        a.kode_absen_semua,
        a.source_file as sumber_ketidakhadiran,
        a.line_no as baris_ketidakhadiran,
        case
            when a.kode_absen is not null then a.kode_absen
            when g.waktu_datang is null and g.waktu_pulang is null then 'TK'
            else 'HADIR'
        end as kode_hari
    from (
        select * from hari_pola
        union all
        select * from hari_shift
    ) as g
    left join absen as a
        on a.periode = g.periode and a.nip = g.nip and a.tanggal = g.tanggal
),

menit as (
    select
        h.*,
        case
            when h.kode_hari = 'HADIR' and h.waktu_datang is not null
                then {{ bagi_bulat('greatest(h.detik_datang - h.detik_masuk, 0)', 60) }}
        end as menit_terlambat,
        case
            when h.kode_hari = 'HADIR' and h.waktu_pulang is not null
                then {{ bagi_bulat('greatest(h.detik_pulang - h.detik_pulang_tap, 0)', 60) }}
        end as menit_pulang_cepat,
        h.kode_hari = 'HADIR' and h.waktu_pulang is null and h.pulang_tertunda
            as pulang_belum_tersedia
    from hari as h
),

berkode as (
    select
        m.*,
        tl.kode as kode_datang,
        psw.kode as kode_pulang,
        tl.poin as poin_datang,
        psw.poin as poin_pulang,
        kh.poin as poin_kode_hari,
        kh.hari_efektif as kode_hari_efektif
    from menit as m
    left join pita as tl
        on tl.aturan_versi = m.aturan_versi
        and tl.kategori = 'TERLAMBAT'
        and tl.menit = case when m.kode_hari = 'HADIR' then least(coalesce(m.menit_terlambat, -1), 24 * 60) end
    left join pita as psw
        on psw.aturan_versi = m.aturan_versi
        and psw.kategori = 'PULANG_CEPAT'
        and psw.menit = case
            when m.kode_hari = 'HADIR' and not m.pulang_belum_tersedia
                then least(coalesce(m.menit_pulang_cepat, -1), 24 * 60)
        end
    left join potongan as kh
        on kh.aturan_versi = m.aturan_versi
        and kh.kategori in ('HARI', 'KETIDAKHADIRAN')
        and kh.kode = m.kode_hari
)

select
    periode,
    nip,
    kode_opd,
    segmen,
    pola_kerja,
    tanggal,
    hari_iso,
    ramadan,
    aturan_versi,
    jam_masuk,
    jam_pulang,
    detik_masuk,
    detik_pulang,
    waktu_datang,
    waktu_pulang,
    jumlah_tap,
    baris_datang,
    baris_pulang,
    sumber_absensi,
    kode_hari,
    kode_datang,
    kode_pulang,
    menit_terlambat,
    menit_pulang_cepat,
    cast(
        case
            when kode_hari = 'HADIR' then coalesce(poin_datang, 0) + coalesce(poin_pulang, 0)
            else coalesce(poin_kode_hari, 0)
        end as decimal(18, 4)
    ) as poin,
    case when kode_hari = 'HADIR' then true else coalesce(kode_hari_efektif, true) end as hari_efektif,
    kode_absen,
    kode_absen_semua,
    jumlah_absen,
    nomor_surat,
    sumber_ketidakhadiran,
    baris_ketidakhadiran,
    kode_shift,
    {{ tambah_detik('tanggal', 'detik_masuk') }} as jadwal_mulai,
    {{ tambah_detik('tanggal', 'detik_pulang') }} as jadwal_selesai,
    sumber_absensi_pulang,
    pulang_tertunda and waktu_pulang is null and kode_hari in ('HADIR', 'TK') as pulang_belum_tersedia
from berkode
