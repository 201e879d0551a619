-- PermenPANRB 6/2022 predikat matrix.
select
    upper(trim(cast(hasil_kerja as {{ dbt.type_string() }}))) as hasil_kerja,
    upper(trim(cast(perilaku as {{ dbt.type_string() }}))) as perilaku,
    upper(trim(cast(predikat as {{ dbt.type_string() }}))) as predikat
from {{ ref('ref_matriks_predikat') }}
