-- Department segments of every employee of each period's master (tpp-rules §1, §5, §7):
-- * UTAMA: the current department, from tmt_opd (first appearance / transfer) or the first of
--   the month, to aktif_sampai or the end of the month, with this month's values;
-- * ASAL: a mid-month transfer (tmt_opd inside the month and the previous snapshot shows another
--   department): the days before tmt_opd, with the previous snapshot's department, status,
--   golongan and kelas. Same department in the previous snapshot -> one UTAMA segment over the
--   whole month with this month's values.
-- A NIP listed twice in one snapshot cannot be paid from (NIP_GANDA finding); it gets no segment.
-- Listed twice in the previous snapshot, it has no known previous department: with tmt_opd inside
-- the month the days before it are not counted and the segment is flagged
-- (`tanpa_snapshot_sebelumnya`, `snapshot_sebelumnya_ganda`: a WARN finding), as when the
-- previous master is missing; the correction of that master recomputes this month.
-- `pola_kerja` (jadwal.md §1): the snapshot's own value, else the rulebook's pattern of the
-- segment's department (`*` = every department); each segment uses the pattern of the snapshot
-- it takes its other values from. `pola_hari` = what decides the segment's days: its own
-- pattern; SHIFT only when the month's roster has a row for the employee that is not
-- quarantined for an unknown shift code (int_karantina_referensial: LIBUR and a JADWAL_GANDA
-- day, which the roster made no working day, count), else KANTOR (jadwal.md §3: never a silent
-- zero, WARN JADWAL_TIDAK_ADA). A roster whose every row has an unknown code is no roster: its
-- rows never reach the TPP table (sources.md), so they cannot make a month of zeros.
-- `aktif` = the segment has at least one calendar day.
with periode as (
    select * from {{ ref('int_periode') }}
),

pegawai as (
    select * from {{ ref('stg_pegawai') }}
),

pola_opd as (
    select * from {{ ref('stg_aturan_pola_opd') }}
),

berjadwal as (
    select distinct j.periode, j.nip
    from {{ ref('stg_jadwal') }} as j
    inner join periode as p on p.periode = j.periode
    left join {{ ref('int_karantina_referensial') }} as q
        on q.kind = 'jadwal' and q.periode = j.periode and q.line_no = j.line_no
        and q.kode_alasan = 'KODE_SHIFT_TIDAK_DIKENAL'
    where q.line_no is null
),

ganda as (
    select periode, nip from pegawai group by periode, nip having count(*) > 1
    union
    select periode, nip from {{ ref('stg_pegawai_ganda') }}
),

unik as (
    select pg.*
    from pegawai as pg
    left join ganda as g on g.periode = pg.periode and g.nip = pg.nip
    where g.nip is null
),

kini as (
    select
        u.*,
        p.tanggal_awal,
        p.tanggal_akhir,
        p.periode_sebelumnya,
        p.ada_pegawai_sebelumnya,
        case
            when u.aktif_sampai is not null and u.aktif_sampai < p.tanggal_akhir then u.aktif_sampai
            else p.tanggal_akhir
        end as akhir_aktif
    from unik as u
    inner join periode as p on p.periode = u.periode
),

gabung as (
    select
        k.*,
        s.nip is not null as ada_snapshot_sebelumnya,
        gs.nip is not null as sebelum_ganda,
        s.kode_opd as sebelum_kode_opd,
        s.nama_opd as sebelum_nama_opd,
        s.status as sebelum_status,
        s.golongan as sebelum_golongan,
        s.golongan_pokok as sebelum_golongan_pokok,
        s.jenis_jabatan as sebelum_jenis_jabatan,
        s.nama_jabatan as sebelum_nama_jabatan,
        s.kelas_jabatan as sebelum_kelas_jabatan,
        s.aktif_sampai as sebelum_aktif_sampai,
        s.pola_kerja as sebelum_pola_kerja,
        s.source_file as sebelum_source_file,
        s.line_no as sebelum_line_no,
        (
            k.tmt_opd > k.tanggal_awal
            and s.nip is not null
            and s.kode_opd <> k.kode_opd
        ) as mutasi
    from kini as k
    left join unik as s on s.periode = k.periode_sebelumnya and s.nip = k.nip
    left join ganda as gs on gs.periode = k.periode_sebelumnya and gs.nip = k.nip
),

segmen as (
    select
        periode,
        nip,
        kode_opd,
        'UTAMA' as segmen,
        case
            when tmt_opd <= tanggal_awal then tanggal_awal
            when ada_snapshot_sebelumnya and not mutasi then tanggal_awal
            else tmt_opd
        end as mulai,
        akhir_aktif as selesai,
        nama,
        nama_opd,
        status,
        golongan,
        golongan_pokok,
        jenis_jabatan,
        nama_jabatan,
        kelas_jabatan,
        tmt_opd,
        aktif_sampai,
        pola_kerja as pola_kerja_master,
        mutasi,
        (tmt_opd > tanggal_awal and tmt_opd <= tanggal_akhir
            and not ada_snapshot_sebelumnya
            and (not ada_pegawai_sebelumnya or sebelum_ganda)) as tanpa_snapshot_sebelumnya,
        (tmt_opd > tanggal_awal and tmt_opd <= tanggal_akhir and sebelum_ganda) as snapshot_sebelumnya_ganda,
        periode as periode_snapshot,
        source_file,
        line_no
    from gabung

    union all

    select
        periode,
        nip,
        sebelum_kode_opd as kode_opd,
        'ASAL' as segmen,
        tanggal_awal as mulai,
        least(
            {{ tambah_hari('tmt_opd', -1) }},
            akhir_aktif,
            coalesce(sebelum_aktif_sampai, tanggal_akhir)
        ) as selesai,
        nama,
        sebelum_nama_opd as nama_opd,
        sebelum_status as status,
        sebelum_golongan as golongan,
        sebelum_golongan_pokok as golongan_pokok,
        sebelum_jenis_jabatan as jenis_jabatan,
        sebelum_nama_jabatan as nama_jabatan,
        sebelum_kelas_jabatan as kelas_jabatan,
        tmt_opd,
        aktif_sampai,
        sebelum_pola_kerja as pola_kerja_master,
        mutasi,
        false as tanpa_snapshot_sebelumnya,
        false as snapshot_sebelumnya_ganda,
        periode_sebelumnya as periode_snapshot,
        sebelum_source_file as source_file,
        sebelum_line_no as line_no
    from gabung
    where mutasi
),

berpola as (
    select
        sg.*,
        coalesce(sg.pola_kerja_master, po.pola, pu.pola) as pola_kerja
    from segmen as sg
    inner join periode as p on p.periode = sg.periode
    left join pola_opd as po on po.aturan_versi = p.aturan_versi and po.kode_opd = sg.kode_opd
    left join pola_opd as pu on pu.aturan_versi = p.aturan_versi and pu.kode_opd = '*'
)

select
    b.*,
    case
        when b.pola_kerja <> 'SHIFT' then b.pola_kerja
        when j.nip is not null then 'SHIFT'
        else 'KANTOR'
    end as pola_hari,
    b.mulai <= b.selesai as aktif,
    case when b.mulai <= b.selesai then {{ dbt.datediff('b.mulai', 'b.selesai', 'day') }} + 1 else 0 end
        as hari_kalender
from berpola as b
left join berjadwal as j on j.periode = b.periode and j.nip = b.nip
