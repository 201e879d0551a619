-- The month's performance per (periode, nip) (tpp-rules §4): FINAL evaluations only; the
-- predikat comes from the PermenPANRB matrix (hasil_kerja x perilaku), never from the stated
-- one; several FINAL -> the latest tanggal_penilaian, tie -> the later line of the file.
-- Employees without a FINAL evaluation have no row here (tanpa_penilaian downstream).
with periode as (
    select periode, aturan_versi from {{ ref('int_periode') }}
),

final as (
    select *
    from {{ ref('stg_kinerja') }}
    where status = 'FINAL' and not duplikat
),

matriks as (
    select * from {{ ref('stg_matriks_predikat') }}
),

berurut as (
    select
        f.*,
        m.predikat,
        row_number() over (
            partition by f.periode, f.nip
            order by f.tanggal_penilaian desc, f.line_no desc
        ) as urutan,
        count(*) over (partition by f.periode, f.nip) as jumlah_final
    from final as f
    left join matriks as m
        on m.hasil_kerja = f.hasil_kerja and m.perilaku = f.perilaku
)

select
    b.periode,
    b.nip,
    b.predikat,
    b.predikat_sumber,
    b.hasil_kerja,
    b.perilaku,
    b.nip_penilai,
    b.tanggal_penilaian,
    b.source_file,
    b.line_no,
    b.jumlah_final,
    ap.persen_kinerja
from berurut as b
inner join periode as p on p.periode = b.periode
left join {{ ref('stg_aturan_predikat') }} as ap
    on ap.aturan_versi = p.aturan_versi and ap.predikat = b.predikat
where b.urutan = 1
