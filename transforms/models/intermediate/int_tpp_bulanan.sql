-- TPP amounts per (periode, nip, kode_opd) (tpp-rules §5, §7), exact: the rule facts of every
-- row (days, persen_disiplin, persen_kinerja) with the period's rulebook version (basis, shares,
-- weights, rates as integer ppm), then the money formula, macros/jumlah_tpp.sql (its only
-- implementation; the what-if fast path, models/whatif/whatif_tpp_cepat.sql, uses it too).
-- Rows: every active UTAMA segment (even with zero pay), ASAL segments with >= 1 working day.

with periode as (
    select * from {{ ref('int_periode') }}
),

-- hari_kerja is the employee's own (jadwal.md §5): the working days of the segment's pattern
-- over the whole month
kalender as (
    select
        periode,
        pola,
        sum(case when hari_kerja then 1 else 0 end) as hari_kerja,
        sum(case when hari_berjam and libur then 1 else 0 end) as hari_libur
    from {{ ref('int_kalender') }}
    group by periode, pola
),

-- SHIFT: the rostered shifts of the whole month (jadwal.md §5; LIBUR is no working day)
shift as (
    select periode, nip, count(*) as hari_kerja
    from {{ ref('int_jadwal_shift') }}
    where dalam_jendela
    group by periode, nip
),

segmen as (
    select * from {{ ref('int_pegawai_segmen') }} where aktif
),

disiplin as (
    select * from {{ ref('int_disiplin_bulanan') }}
),

kinerja as (
    select * from {{ ref('int_kinerja_bulanan') }}
),

basis as (
    select * from {{ ref('stg_aturan_basis') }}
),

status_aturan as (
    select * from {{ ref('stg_aturan_status') }}
),

pph as (
    select * from {{ ref('stg_aturan_pph21') }}
),

baris as (
    select
        s.periode,
        s.nip,
        s.nama,
        s.kode_opd,
        s.nama_opd,
        s.segmen,
        s.status,
        s.golongan,
        s.golongan_pokok,
        s.jenis_jabatan,
        s.nama_jabatan,
        s.kelas_jabatan,
        s.pola_kerja,
        s.mulai as tanggal_mulai,
        s.selesai as tanggal_selesai,
        s.hari_kalender,
        s.tmt_opd,
        s.aktif_sampai,
        s.mutasi,
        s.tanpa_snapshot_sebelumnya,
        s.periode_snapshot,
        s.source_file,
        s.line_no,
        case
            when s.pola_hari = 'SHIFT' then coalesce(sh.hari_kerja, 0)
            else coalesce(kal.hari_kerja, 0)
        end as hari_kerja,
        case when s.pola_hari = 'SHIFT' then 0 else coalesce(kal.hari_libur, 0) end as hari_libur,
        coalesce(d.hari_kerja_segmen, 0) as hari_kerja_segmen,
        coalesce(d.hari_efektif, 0) as hari_efektif,
        coalesce(d.hari_tidak_efektif, 0) as hari_tidak_efektif,
        coalesce(d.hadir, 0) as hadir,
        coalesce(d.tk, 0) as tk,
        {%- for c in ['tl1', 'tl2', 'tl3', 'tl4', 'psw1', 'psw2', 'psw3', 'psw4',
                      'ct', 'cs', 'cb', 'cm', 'cap', 'cltn', 'dl', 'diklat', 'tb', 'izin',
                      'menit_terlambat', 'menit_pulang_cepat'] %}
        coalesce(d.{{ c }}, 0) as {{ c }},
        {%- endfor %}
        cast(coalesce(d.jumlah_poin, 0) as decimal(18, 4)) as jumlah_poin,
        -- no working day in the segment -> no deduction
        cast(coalesce(d.persen_disiplin, 100) as decimal(9, 4)) as persen_disiplin,
        k.predikat,
        k.predikat_sumber,
        k.hasil_kerja,
        k.perilaku,
        k.nip_penilai,
        k.tanggal_penilaian,
        k.jumlah_final,
        k.source_file as sumber_kinerja,
        k.line_no as baris_kinerja,
        k.nip is null as tanpa_penilaian,
        cast(coalesce(k.persen_kinerja, 0) as decimal(9, 4)) as persen_kinerja,
        p.aturan_versi,
        p.bobot_kinerja,
        p.bobot_disiplin,
        p.persen_bpjs,
        p.dasar_potongan,
        p.bobot_kinerja_ppm,
        p.bobot_disiplin_ppm,
        p.persen_bpjs_ppm,
        coalesce(b_opd.basis, b_umum.basis) as basis_jabatan,
        st.persen_basis,
        st.persen_basis_ppm,
        st.kelompok_pph21,
        t.tarif_pph21,
        t.tarif_pph21_ppm
    from segmen as s
    inner join periode as p on p.periode = s.periode
    -- a pattern the rulebook does not know gets no days (ERROR POLA_TIDAK_DIKENAL), never a lost row
    left join kalender as kal on kal.periode = s.periode and kal.pola = s.pola_hari
    left join shift as sh on sh.periode = s.periode and sh.nip = s.nip
    left join disiplin as d
        on d.periode = s.periode
        and d.nip = s.nip
        and d.kode_opd = s.kode_opd
        and d.segmen = s.segmen
    left join kinerja as k on k.periode = s.periode and k.nip = s.nip
    left join basis as b_opd
        on b_opd.aturan_versi = p.aturan_versi
        and b_opd.kode_opd = s.kode_opd
        and b_opd.kelas_jabatan = s.kelas_jabatan
    left join basis as b_umum
        on b_umum.aturan_versi = p.aturan_versi
        and b_umum.kode_opd = '*'
        and b_umum.kelas_jabatan = s.kelas_jabatan
    left join status_aturan as st
        on st.aturan_versi = p.aturan_versi and st.status = s.status
    left join pph as t
        on t.aturan_versi = p.aturan_versi
        and t.kelompok_pph21 = st.kelompok_pph21
        and t.golongan_pokok = s.golongan_pokok
    where s.segmen = 'UTAMA' or coalesce(d.hari_kerja_segmen, 0) >= 1
),

potongan as (
    {{ jumlah_tpp('baris') }}
)

select
    periode,
    nip,
    nama,
    kode_opd,
    nama_opd,
    segmen,
    status,
    golongan,
    jenis_jabatan,
    nama_jabatan,
    kelas_jabatan,
    pola_kerja,
    tanggal_mulai,
    tanggal_selesai,
    hari_kalender,
    tmt_opd,
    aktif_sampai,
    mutasi,
    tanpa_snapshot_sebelumnya,
    periode_snapshot,
    source_file,
    line_no,
    hari_kerja,
    hari_libur,
    hari_kerja_segmen,
    hari_efektif,
    hari_tidak_efektif,
    hadir,
    tk,
    tl1, tl2, tl3, tl4,
    psw1, psw2, psw3, psw4,
    ct, cs, cb, cm, cap, cltn, dl, diklat, tb, izin,
    menit_terlambat,
    menit_pulang_cepat,
    jumlah_poin,
    predikat,
    predikat_sumber,
    hasil_kerja,
    perilaku,
    nip_penilai,
    tanggal_penilaian,
    jumlah_final,
    sumber_kinerja,
    baris_kinerja,
    tanpa_penilaian,
    persen_kinerja,
    persen_disiplin,
    basis_jabatan,
    persen_basis,
    cast(tpp_basis_hitung as bigint) as tpp_basis,
    {{ skala_turun('basis_efektif_e10', 10) }} as basis_efektif,
    cast(tpp_kinerja_hitung as bigint) as tpp_kinerja,
    cast(tpp_disiplin_hitung as bigint) as tpp_disiplin,
    cast(tpp_bruto_hitung as bigint) as tpp_bruto,
    cast(pph21_hitung as bigint) as pph21,
    cast(iuran_bpjs_hitung as bigint) as iuran_bpjs,
    cast(tpp_neto_hitung as bigint) as tpp_neto,
    kelompok_pph21,
    tarif_pph21,
    persen_bpjs,
    bobot_kinerja,
    bobot_disiplin,
    dasar_potongan,
    aturan_versi,
    basis_jabatan is null as basis_tidak_ditemukan,
    (persen_basis_ppm is null or tarif_pph21_ppm is null) as aturan_tidak_lengkap
from potongan
