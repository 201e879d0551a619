-- Referential quarantine: every raw line (taps, absences, evaluations, activities, roster) whose
-- NIP is not in that period's employee master (a tap of a shift of the month before: that
-- month's master, below); and roster lines (jadwal.md §3) with a shift code
-- the period's rulebook does not know, or that give one day two different codes (JADWAL_GANDA:
-- all of that day's lines). These lines never reach the TPP. Periods without any
-- master snapshot are not judged here (finding DATA_PEGAWAI_TIDAK_ADA instead).
with periode as (
    select periode from {{ ref('int_periode') }} where ada_pegawai
),

pegawai as (
    select distinct periode, nip from {{ ref('stg_pegawai') }}
),

ganda as (
    select distinct periode, nilai as nip
    from {{ ref('stg_karantina') }}
    where kind = 'pegawai' and kode_alasan = 'NIP_GANDA'
),

baris as (
    {%- for kind in ['absensi', 'ketidakhadiran', 'kinerja', 'aktivitas', 'jadwal'] %}
    select '{{ kind }}' as kind, periode, source_file, line_no, nip,
    {%- if kind == 'absensi' %}
        tanggal, detik
    {%- else %}
        cast(null as date) as tanggal, cast(null as integer) as detik
    {%- endif %}
    from {{ ref('stg_' ~ kind) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

nip_asing_semua as (
select
    b.tanggal,
    b.detik,
    b.kind,
    b.periode,
    b.source_file,
    b.line_no,
    'nip' as kolom,
    b.nip as nilai,
    'NIP_TIDAK_DIKENAL' as kode_alasan,
    case
        when g.nip is not null then
            'NIP ' || {{ format_nip('b.nip') }} || ' tercatat ganda di data pegawai periode '
            || b.periode || ' (kedua baris dikarantina); baris ini tidak dipakai untuk perhitungan TPP.'
        else
            'NIP ' || {{ format_nip('b.nip') }} || ' tidak terdaftar di data pegawai periode '
            || b.periode || '; baris ini tidak dipakai untuk perhitungan TPP.'
    end as alasan
from baris as b
inner join periode as p on p.periode = b.periode
left join pegawai as pg on pg.periode = b.periode and pg.nip = b.nip
left join ganda as g on g.periode = b.periode and g.nip = b.nip
where pg.nip is null
),

-- jadwal.md §4: a shift of the month before whose window [S - 4 h, E + 4 h) reaches into this
-- month (a night shift of its last day) takes its taps from this month's file. Such a tap is
-- the shift's, judged by the master of the shift's month: an employee who left at that
-- month's end is no unknown NIP for it (the tap is used for that month, not quarantined)
tap_shift_lalu as (
    select distinct n.periode, n.line_no
    from nip_asing_semua as n
    inner join {{ ref('int_jadwal_shift') }} as s on s.nip = n.nilai
    inner join pegawai as pg on pg.periode = s.periode and pg.nip = s.nip
    inner join (select 1 as hari union all select 2 as hari) as g
        on {{ tambah_hari('s.tanggal', 'g.hari') }} = n.tanggal
    where n.kind = 'absensi'
        and {{ periode_berikut('s.tanggal') }} = n.periode
        and {{ dalam_jendela_shift('g.hari * 86400 + n.detik', 's') }}
),

nip_asing as (
    select
        n.kind, n.periode, n.source_file, n.line_no, n.kolom, n.nilai, n.kode_alasan, n.alasan,
        n.nilai as nip
    from nip_asing_semua as n
    left join tap_shift_lalu as t
        on n.kind = 'absensi' and t.periode = n.periode and t.line_no = n.line_no
    where t.line_no is null
),

jadwal as (
    select j.*
    from {{ ref('stg_jadwal') }} as j
    inner join periode as p on p.periode = j.periode
    left join nip_asing as n
        on n.kind = 'jadwal' and n.periode = j.periode and n.line_no = j.line_no
    where n.line_no is null
),

kode_shift as (
    select p.periode, s.kode_shift, p.aturan_versi
    from {{ ref('int_periode') }} as p
    inner join {{ ref('stg_aturan_shift') }} as s on s.aturan_versi = p.aturan_versi
),

jadwal_salah as (
    select
        'jadwal' as kind,
        j.periode,
        j.source_file,
        j.line_no,
        case when g.nip is not null then 'tanggal' else 'kode_shift' end as kolom,
        case when g.nip is not null then cast(j.tanggal as {{ dbt.type_string() }}) else j.kode_shift end as nilai,
        case when g.nip is not null then 'JADWAL_GANDA' else 'KODE_SHIFT_TIDAK_DIKENAL' end as kode_alasan,
        case
            when g.nip is not null then
                'Jadwal NIP ' || {{ format_nip('j.nip') }} || ' tanggal ' || {{ tanggal_teks('j.tanggal') }}
                || ' tercatat lebih dari sekali dengan kode berbeda: semua baris hari itu dikarantina '
                || 'dan hari itu bukan hari kerja.'
            else
                'Kode shift ' || j.kode_shift || ' tidak dikenal rulebook periode ' || j.periode
                || ' (kode yang sah: aturan_shift, atau LIBUR); baris ini tidak dipakai.'
        end as alasan,
        j.nip
    from jadwal as j
    left join {{ ref('int_jadwal_ganda') }} as g on g.periode = j.periode and g.nip = j.nip and g.tanggal = j.tanggal
    left join kode_shift as k on k.periode = j.periode and k.kode_shift = j.kode_shift
    where g.nip is not null or (k.kode_shift is null and j.kode_shift <> 'LIBUR')
)

select * from nip_asing
union all
select * from jadwal_salah
