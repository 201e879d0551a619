-- Taps grouped by (periode, nip, calendar date) (tpp-rules §2): a MASUK tap is an arrival, a
-- PULANG tap a departure, a tap without jenis an arrival before the rulebook's split time
-- (12:00:00) and a departure from it on. check-in = earliest arrival, check-out = latest
-- departure. Exact duplicate taps count once.
with periode as (
    select periode, detik_pemisah_tap from {{ ref('int_periode') }}
),

tap as (
    select
        t.periode,
        t.nip,
        t.tanggal,
        t.waktu,
        t.line_no,
        t.source_file,
        case
            when t.jenis = 'MASUK' then true
            when t.jenis = 'PULANG' then false
            else t.detik < p.detik_pemisah_tap
        end as datang
    from {{ ref('stg_absensi') }} as t
    inner join periode as p on p.periode = t.periode
    where not t.duplikat
)

select
    periode,
    nip,
    tanggal,
    min(case when datang then waktu end) as waktu_datang,
    max(case when not datang then waktu end) as waktu_pulang,
    {{ min_by('case when datang then line_no end', 'case when datang then waktu end') }} as baris_datang,
    {{ max_by('case when not datang then line_no end', 'case when not datang then waktu end') }} as baris_pulang,
    count(*) as jumlah_tap,
    min(source_file) as sumber_absensi
from tap
group by periode, nip, tanggal
