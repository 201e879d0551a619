-- PermenPANRB 6/2022 predikat matrix.
select
    upper(trim(cast(hasil_kerja as varchar))) as hasil_kerja,
    upper(trim(cast(perilaku as varchar))) as perilaku,
    upper(trim(cast(predikat as varchar))) as predikat
from {{ ref('ref_matriks_predikat') }}
