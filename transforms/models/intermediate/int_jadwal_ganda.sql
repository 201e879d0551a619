-- jadwal.md §3: a rostered day (periode, nip, tanggal) given two or more different shift codes.
-- The one place this rule is computed: its lines are quarantined (int_karantina_referensial), the
-- day gives no shift (int_jadwal_shift) and it is a finding (temuan). Over the roster of the
-- window and the month on each side of it (stg_jadwal), as int_jadwal_shift needs; exact
-- duplicate lines count once (same code).
select
    periode,
    nip,
    tanggal,
    count(distinct kode_shift) as jumlah_kode,
    {{ gabung_teks('kode_shift', "', '", ['line_no']) }} as daftar_kode,
    min(source_file) as source_file,
    min(line_no) as line_no
from {{ ref('stg_jadwal') }}
group by periode, nip, tanggal
having count(distinct kode_shift) > 1
