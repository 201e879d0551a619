{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='sync_all_columns',
        pre_hook="{{ hapus_periode_jendela() }}",
    )
}}
-- Findings per period. ERROR blocks paying the period until the source is corrected; WARN is
-- for people to look at. pesan is one plain Bahasa Indonesia sentence.
with periode as (
    select * from {{ ref('int_periode') }}
),

pegawai as (
    select periode, nip, min(kode_opd) as kode_opd
    from {{ ref('stg_pegawai') }}
    group by periode, nip
),

absen as (
    select a.*, pr.prioritas
    from {{ ref('stg_ketidakhadiran') }} as a
    inner join periode as p on p.periode = a.periode
    left join {{ ref('stg_aturan_potongan') }} as pr
        on pr.aturan_versi = p.aturan_versi and pr.kode = a.kode and pr.kategori = 'KETIDAKHADIRAN'
    where a.status = 'DISETUJUI' and not a.duplikat
),

tumpang_tindih as (
    select
        b.periode,
        'WARN' as tingkat,
        'ABSEN_TUMPANG_TINDIH' as kode,
        b.nip,
        pg.kode_opd,
        b.source_file,
        b.line_no,
        'Ketidakhadiran disetujui tumpang tindih: ' || a.kode || ' (baris ' || cast(a.line_no as {{ dbt.type_string() }})
            || ', ' || {{ tanggal_teks('a.mulai') }} || ' s.d. ' || {{ tanggal_teks('a.selesai') }} || ') dan '
            || b.kode || ' (baris ' || cast(b.line_no as {{ dbt.type_string() }}) || ', ' || {{ tanggal_teks('b.mulai') }}
            || ' s.d. ' || {{ tanggal_teks('b.selesai') }} || '); pada hari yang sama berlaku '
            || case
                when a.prioritas is null or (b.prioritas is not null and b.prioritas < a.prioritas)
                    then b.kode
                else a.kode
            end
            || ' menurut urutan prioritas.' as pesan
    from absen as a
    inner join absen as b
        on b.periode = a.periode
        and b.nip = a.nip
        and a.line_no < b.line_no
        and a.mulai <= b.selesai
        and b.mulai <= a.selesai
    inner join periode as p on p.periode = b.periode
    inner join pegawai as pg on pg.periode = b.periode and pg.nip = b.nip
    where greatest(a.mulai, b.mulai) <= p.tanggal_akhir
        and least(a.selesai, b.selesai) >= p.tanggal_awal
),

kinerja_final as (
    select k.*, m.predikat as predikat_matriks, pg.kode_opd
    from {{ ref('stg_kinerja') }} as k
    inner join periode as p on p.periode = k.periode
    inner join pegawai as pg on pg.periode = k.periode and pg.nip = k.nip
    left join {{ ref('stg_matriks_predikat') }} as m
        on m.hasil_kerja = k.hasil_kerja and m.perilaku = k.perilaku
    where k.status = 'FINAL' and not k.duplikat
),

final_ganda as (
    select
        k.periode,
        'WARN' as tingkat,
        'PENILAIAN_FINAL_GANDA' as kode,
        k.nip,
        pg.kode_opd,
        k.source_file,
        k.line_no,
        'Ada ' || cast(k.jumlah_final as {{ dbt.type_string() }}) || ' penilaian FINAL untuk periode ' || k.periode
            || '; yang dipakai baris ' || cast(k.line_no as {{ dbt.type_string() }}) || ' (tanggal penilaian '
            || {{ tanggal_teks('k.tanggal_penilaian') }} || ', terbaru).' as pesan
    from {{ ref('int_kinerja_bulanan') }} as k
    inner join pegawai as pg on pg.periode = k.periode and pg.nip = k.nip
    where k.jumlah_final > 1
),

predikat_beda as (
    select
        periode,
        'WARN' as tingkat,
        'PREDIKAT_TIDAK_SESUAI_MATRIKS' as kode,
        nip,
        kode_opd,
        source_file,
        line_no,
        'Predikat tertulis ' || predikat_sumber || ' tidak sesuai matriks PermenPANRB 6/2022 (hasil kerja '
            || hasil_kerja || ', perilaku ' || perilaku || ' = ' || predikat_matriks
            || '); yang dipakai ' || predikat_matriks || '.' as pesan
    from kinerja_final
    where predikat_sumber is not null and predikat_sumber <> predikat_matriks
),

penilai_sama as (
    select
        periode,
        'WARN' as tingkat,
        'PENILAI_SAMA_DENGAN_DINILAI' as kode,
        nip,
        kode_opd,
        source_file,
        line_no,
        'Penilaian FINAL dinilai oleh pegawai itu sendiri (nip_penilai sama dengan nip).' as pesan
    from kinerja_final
    where nip_penilai = nip
),

segmen as (
    select * from {{ ref('int_pegawai_segmen') }}
),

tidak_aktif as (
    select
        periode,
        'WARN' as tingkat,
        'PEGAWAI_TIDAK_AKTIF' as kode,
        nip,
        kode_opd,
        source_file,
        line_no,
        'Pegawai ada di data pegawai periode ' || periode || ' tetapi tidak aktif di ' || kode_opd
            || ' pada satu hari pun bulan ini (tmt_opd ' || cast(tmt_opd as {{ dbt.type_string() }})
            || coalesce(', aktif_sampai ' || cast(aktif_sampai as {{ dbt.type_string() }}), '')
            || '); tidak ada baris TPP untuk departemen ini.' as pesan
    from segmen
    where segmen = 'UTAMA' and not aktif
),

tanpa_snapshot as (
    select
        periode,
        'WARN' as tingkat,
        'SNAPSHOT_SEBELUMNYA_TIDAK_ADA' as kode,
        nip,
        kode_opd,
        source_file,
        line_no,
        'tmt_opd ' || cast(tmt_opd as {{ dbt.type_string() }}) || ' di tengah bulan, tetapi data pegawai periode sebelumnya '
            || case
                when snapshot_sebelumnya_ganda
                    then 'memuat NIP ini pada lebih dari satu baris (NIP_GANDA) sehingga departemen asalnya tidak diketahui'
                else 'tidak tersedia'
            end
            || ': hari sebelum tmt_opd tidak dihitung untuk departemen mana pun.' as pesan
    from segmen
    where segmen = 'UTAMA' and tanpa_snapshot_sebelumnya
),

-- jadwal.md §3: a SHIFT employee with no roster row in the month (none that its quarantine
-- keeps) is computed with the KANTOR pattern (never a silent zero).
tanpa_jadwal as (
    select
        periode,
        'WARN' as tingkat,
        'JADWAL_TIDAK_ADA' as kode,
        nip,
        kode_opd,
        source_file,
        line_no,
        'Pola kerja SHIFT tetapi tidak ada baris jadwal dinas yang sah (jadwal_'
            || replace(periode, '-', '') || '; baris berkode shift tidak dikenal dikarantina) '
            || 'untuk pegawai ini: hari kerja dan jam dihitung dengan pola KANTOR.' as pesan
    from segmen
    where aktif and pola_kerja = 'SHIFT' and pola_hari <> 'SHIFT'
),

-- a pattern of the master or of the department rule that the period's rulebook has no hours
-- for: no working day can be derived, the row would be paid zero
pola_tidak_dikenal as (
    select
        sg.periode,
        'ERROR' as tingkat,
        'POLA_TIDAK_DIKENAL' as kode,
        sg.nip,
        sg.kode_opd,
        sg.source_file,
        sg.line_no,
        'Pola kerja ' || sg.pola_hari || ' tidak ada di rulebook ' || p.aturan_versi
            || ' (aturan_jam_kerja): hari kerja pegawai ini tidak dapat dihitung.' as pesan
    from segmen as sg
    inner join periode as p on p.periode = sg.periode
    left join (
        select distinct aturan_versi, pola from {{ ref('stg_aturan_jam_kerja') }}
    ) as j on j.aturan_versi = p.aturan_versi and j.pola = sg.pola_hari
    where sg.aktif and sg.pola_hari <> 'SHIFT' and j.pola is null
),

jadwal as (
    select * from {{ ref('stg_jadwal') }} where {{ dalam_jendela('periode') }}
),

-- jadwal.md §3: two different rows for one (nip, tanggal): both quarantined, no working day
jadwal_ganda as (
    select
        g.periode,
        'WARN' as tingkat,
        'JADWAL_GANDA' as kode,
        g.nip,
        pg.kode_opd,
        g.source_file,
        g.line_no,
        'Jadwal dinas tanggal ' || {{ tanggal_teks('g.tanggal') }} || ' tercatat '
            || cast(g.jumlah_kode as {{ dbt.type_string() }}) || ' kali dengan kode berbeda ('
            || g.daftar_kode
            || '): semua barisnya dikarantina dan hari itu bukan hari kerja sampai jadwal diperbaiki.' as pesan
    from {{ ref('int_jadwal_ganda') }} as g
    inner join pegawai as pg on pg.periode = g.periode and pg.nip = g.nip
    where {{ dalam_jendela('g.periode') }}
),

-- jadwal.md §3: roster rows of an employee whose pattern that month is not SHIFT are ignored
jadwal_bukan_shift as (
    select
        j.periode,
        'WARN' as tingkat,
        'JADWAL_BUKAN_SHIFT' as kode,
        j.nip,
        min(sg.kode_opd) as kode_opd,
        min(j.source_file) as source_file,
        min(j.line_no) as line_no,
        'Ada ' || cast(count(distinct j.line_no) as {{ dbt.type_string() }}) || ' baris jadwal dinas untuk pegawai '
            || 'dengan pola kerja ' || min(sg.pola_kerja) || ': jadwal diabaikan, hari kerja mengikuti pola '
            || min(sg.pola_kerja) || '.' as pesan
    from jadwal as j
    inner join segmen as sg on sg.periode = j.periode and sg.nip = j.nip and sg.aktif
    group by j.periode, j.nip
    having max(case when sg.pola_kerja = 'SHIFT' then 1 else 0 end) = 0
),

hari_shift as (
    select * from {{ ref('int_hari_pegawai') }} where kode_shift is not null
),

-- jadwal.md §4: a night shift of the month's last day whose check-out is in next month's file
pulang_belum_tersedia as (
    select
        periode,
        'WARN' as tingkat,
        'PULANG_BELUM_TERSEDIA' as kode,
        nip,
        kode_opd,
        sumber_absensi as source_file,
        baris_datang as line_no,
        'Shift ' || kode_shift || ' tanggal ' || {{ tanggal_teks('tanggal') }}
            || ' berakhir di bulan berikutnya dan file absensi bulan itu belum dimuat: jam pulang belum '
            || 'diketahui, belum ada kode PSW. Periode ini dihitung ulang saat file itu masuk.' as pesan
    from hari_shift
    where pulang_belum_tersedia
),

-- sources.md: a row belongs to its file's month, so an approved absence of last month's file
-- that runs on into this month covers this month's days only when this month's file lists it
-- too. Its working days here that no absence of this month's file covers (counted as without
-- it: TK when there is no tap) are a WARN once per absence: the export of this month may have
-- left it out, or it was cut short.
absen_lanjutan as (
    select
        h.periode,
        'WARN' as tingkat,
        'KETIDAKHADIRAN_LANJUTAN_TIDAK_ADA' as kode,
        h.nip,
        min(h.kode_opd) as kode_opd,
        l.source_file,
        l.line_no,
        'Ketidakhadiran ' || l.kode || ' ' || {{ tanggal_teks('l.mulai') }} || ' s.d. '
            || {{ tanggal_teks('l.selesai') }} || ' (' || l.source_file || ' baris '
            || cast(l.line_no as {{ dbt.type_string() }}) || ') berlanjut ke periode ' || h.periode
            || ', tetapi berkas ketidakhadiran periode ini tidak memuatnya: '
            || cast(count(*) as {{ dbt.type_string() }}) || ' hari kerja ('
            || {{ tanggal_teks('min(h.tanggal)') }} || ' s.d. '
            || {{ tanggal_teks('max(h.tanggal)') }}
            || ') dihitung tanpa ketidakhadiran itu. Bila masih berlaku, kirim ulang berkas '
            || 'ketidakhadiran periode ini yang memuatnya.' as pesan
    from {{ ref('stg_ketidakhadiran_lanjutan') }} as l
    inner join {{ ref('int_hari_pegawai') }} as h
        on h.periode = {{ periode_berikut(awal_periode('l.periode')) }}
        and h.nip = l.nip
        and h.tanggal <= l.selesai
        and h.kode_absen is null
    group by h.periode, h.nip, l.periode, l.kode, l.mulai, l.selesai, l.source_file, l.line_no
),

tpp as (
    select * from {{ ref('int_tpp_bulanan') }}
),

segmen_tanpa_hari as (
    select
        periode,
        'WARN' as tingkat,
        'JADWAL_TANPA_HARI_KERJA' as kode,
        nip,
        kode_opd,
        source_file,
        line_no,
        'Jadwal dinas pegawai SHIFT ini berisi LIBUR saja (atau tidak ada shift yang sah): hari kerja 0, '
            || 'TPP periode ini 0.' as pesan
    from tpp
    where pola_kerja = 'SHIFT' and hari_kerja = 0 and segmen = 'UTAMA'
),

-- tpp-rules §5 with jadwal.md §5: each segment of a transfer month is pro-rated by the
-- hari_kerja of its own pattern over the whole month. When the patterns differ (a SHIFT segment
-- counts only its rostered days, a SEKOLAH one Saturdays too) the rows of one person can add
-- up to more than a whole month's basis: paid as the rules say, and a WARN for finance to look
-- at before paying.
prorata_lebih as (
    select
        periode,
        'WARN' as tingkat,
        'PRORATA_LEBIH_DARI_SEBULAN' as kode,
        nip,
        max(case when segmen = 'UTAMA' then kode_opd end) as kode_opd,
        max(case when segmen = 'UTAMA' then source_file end) as source_file,
        max(case when segmen = 'UTAMA' then line_no end) as line_no,
        'Baris TPP pegawai ini pada periode ' || periode || ' (mutasi antarpola kerja: '
            || {{ gabung_teks('pola_kerja', "', '", ['tanggal_mulai']) }}
            || ') bersama-sama dibayar '
            || replace(
                cast(round(100 * sum(cast(hari_efektif as double) / hari_kerja), 1) as {{ dbt.type_string() }}),
                '.', ','
            )
            || ' % dari basis sebulan penuh, karena setiap baris dibagi hari kerja pola kerjanya '
            || 'sendiri; periksa sebelum membayar.' as pesan
    from tpp
    where hari_kerja > 0
    group by periode, nip
    having count(distinct pola_kerja) > 1
        and sum(cast(hari_efektif as double) / hari_kerja) > 1 + 1e-9
),

nip_ganda as (
    select
        k.periode,
        'ERROR' as tingkat,
        'NIP_GANDA' as kode,
        k.nilai as nip,
        cast(null as {{ dbt.type_string() }}) as kode_opd,
        k.source_file,
        k.line_no,
        'NIP ' || {{ format_nip('k.nilai') }} || ' muncul pada lebih dari satu baris berbeda di data pegawai '
            || 'periode ' || k.periode || '; baris dikarantina dan periode ini tidak boleh dibayar sampai '
            || 'sumber diperbaiki.' as pesan
    from {{ ref('stg_karantina') }} as k
    where k.kind = 'pegawai' and k.kode_alasan = 'NIP_GANDA'

    union all

    select
        pg.periode,
        'ERROR' as tingkat,
        'NIP_GANDA' as kode,
        pg.nip,
        pg.kode_opd,
        pg.source_file,
        pg.line_no,
        'NIP ' || {{ format_nip('pg.nip') }} || ' muncul pada lebih dari satu baris berbeda di data pegawai '
            || 'periode ' || pg.periode || '; pegawai ini tidak dihitung dan periode ini tidak boleh '
            || 'dibayar sampai sumber diperbaiki.' as pesan
    from {{ ref('stg_pegawai') }} as pg
    inner join (
        select periode, nip from {{ ref('stg_pegawai') }} group by periode, nip having count(*) > 1
    ) as g on g.periode = pg.periode and g.nip = pg.nip
    where {{ dalam_jendela('pg.periode') }}
),

pegawai_dikarantina as (
    select
        periode,
        'WARN' as tingkat,
        'PEGAWAI_DIKARANTINA' as kode,
        -- the row's NIP (QUARANTINE_SCHEMA.nip: valid, whichever column failed)
        coalesce(max(nip), max(case when kolom = 'nip' then nilai end)) as nip,
        cast(null as {{ dbt.type_string() }}) as kode_opd,
        source_file,
        line_no,
        'Baris data pegawai dikarantina (' || {{ gabung_teks('kode_alasan', "', '", ['kode_alasan']) }}
            || '): pegawai pada baris ini tidak masuk daftar TPP periode ' || periode
            || ' sampai sumber diperbaiki.' as pesan
    from {{ ref('stg_karantina') }}
    where kind = 'pegawai' and kode_alasan <> 'NIP_GANDA' and line_no > 0
    group by periode, source_file, line_no
),

tanpa_penilaian as (
    select
        periode,
        'WARN' as tingkat,
        'TANPA_PENILAIAN' as kode,
        nip,
        kode_opd,
        source_file,
        line_no,
        'Tidak ada penilaian kinerja FINAL untuk periode ' || periode
            || ': TPP kinerja 0, TPP disiplin tetap dibayar.' as pesan
    from tpp
    where tanpa_penilaian and segmen = 'UTAMA'
),

aturan_kurang as (
    select
        periode,
        'ERROR' as tingkat,
        case when basis_tidak_ditemukan then 'BASIS_TIDAK_DITEMUKAN' else 'ATURAN_TIDAK_LENGKAP' end as kode,
        nip,
        kode_opd,
        source_file,
        line_no,
        case
            when basis_tidak_ditemukan then
                'Rulebook ' || aturan_versi || ' tidak punya pagu TPP untuk OPD ' || kode_opd
                || ' kelas ' || cast(kelas_jabatan as {{ dbt.type_string() }}) || ' (juga tidak ada baris *).'
            else
                'Rulebook ' || aturan_versi || ' tidak punya faktor status ' || status
                || ' atau tarif PPh 21 golongan ' || golongan || '.'
        end as pesan
    from tpp
    where basis_tidak_ditemukan or aturan_tidak_lengkap
),

tanpa_pegawai as (
    select
        periode,
        'ERROR' as tingkat,
        'DATA_PEGAWAI_TIDAK_ADA' as kode,
        cast(null as {{ dbt.type_string() }}) as nip,
        cast(null as {{ dbt.type_string() }}) as kode_opd,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(0 as integer) as line_no,
        'Tidak ada data pegawai (SIMPEG) untuk periode ' || periode
            || ': TPP periode ini tidak dapat dihitung.' as pesan
    from periode
    where not ada_pegawai
),

-- the project's calendar must know the period's year: without its holidays every holiday is a
-- working day (TK for everyone), without its Ramadan the Ramadan hours are missed (sources.md,
-- Calendar: reference data the project ships and an operator extends with a new year)
tahun_libur as (
    select distinct cast(extract(year from tanggal) as integer) as tahun
    from {{ ref('stg_kalender_libur') }}
),

tahun_ramadan as (
    select distinct tahun from {{ ref('stg_kalender_ramadan') }}
),

tahun_periode as (
    select periode, cast(extract(year from tanggal_awal) as integer) as tahun from periode
),

tahun_kalender as (
    select
        p.periode,
        p.tahun,
        l.tahun is not null as ada_libur,
        r.tahun is not null as ada_ramadan
    from tahun_periode as p
    left join tahun_libur as l on l.tahun = p.tahun
    left join tahun_ramadan as r on r.tahun = p.tahun
),

kalender_kurang as (
    select
        periode,
        'ERROR' as tingkat,
        'KALENDER_TIDAK_ADA' as kode,
        cast(null as {{ dbt.type_string() }}) as nip,
        cast(null as {{ dbt.type_string() }}) as kode_opd,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(0 as integer) as line_no,
        'Kalender tahun ' || cast(tahun as {{ dbt.type_string() }}) || ' belum ada ('
            || case
                when not ada_libur and not ada_ramadan then 'libur nasional, cuti bersama dan Ramadan'
                when not ada_libur then 'libur nasional dan cuti bersama'
                else 'Ramadan'
            end
            || '): hari dan jam kerja periode ' || periode || ' tidak dapat dihitung dengan benar. '
            || 'Tambahkan tahun itu ke transforms/seeds/kalender_libur.csv dan kalender_ramadan.csv.'
            as pesan
    from tahun_kalender
    where not (ada_libur and ada_ramadan)
),

semua as (
    select * from tumpang_tindih
    union all select * from final_ganda
    union all select * from predikat_beda
    union all select * from penilai_sama
    union all select * from tidak_aktif
    union all select * from tanpa_snapshot
    union all select * from tanpa_jadwal
    union all select * from pola_tidak_dikenal
    union all select * from jadwal_ganda
    union all select * from jadwal_bukan_shift
    union all select * from pulang_belum_tersedia
    union all select * from absen_lanjutan
    union all select * from segmen_tanpa_hari
    union all select * from prorata_lebih
    union all select * from nip_ganda
    union all select * from pegawai_dikarantina
    union all select * from tanpa_penilaian
    union all select * from aturan_kurang
    union all select * from tanpa_pegawai
    union all select * from kalender_kurang
)

select
    cast(periode as {{ dbt.type_string() }}) as periode,
    cast(tingkat as {{ dbt.type_string() }}) as tingkat,
    cast(kode as {{ dbt.type_string() }}) as kode,
    cast(nip as {{ dbt.type_string() }}) as nip,
    cast(kode_opd as {{ dbt.type_string() }}) as kode_opd,
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_no as integer) as line_no,
    cast(pesan as {{ dbt.type_string() }}) as pesan
from semua
