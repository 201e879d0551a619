-- Rulebook versions; percentages also as integer ppm (percent x 10^4) for exact arithmetic.
select
    cast(versi as {{ dbt.type_string() }}) as aturan_versi,
    cast(berlaku_mulai as date) as berlaku_mulai,
    cast(berlaku_sampai as date) as berlaku_sampai,
    cast(bobot_kinerja as decimal(9, 4)) as bobot_kinerja,
    cast(bobot_disiplin as decimal(9, 4)) as bobot_disiplin,
    cast(persen_bpjs as decimal(9, 4)) as persen_bpjs,
    {{ ke_ppm('bobot_kinerja') }} as bobot_kinerja_ppm,
    {{ ke_ppm('bobot_disiplin') }} as bobot_disiplin_ppm,
    {{ ke_ppm('persen_bpjs') }} as persen_bpjs_ppm,
    upper(trim(cast(dasar_potongan as {{ dbt.type_string() }}))) as dasar_potongan,
    cast(jam_pemisah_tap as {{ dbt.type_string() }}) as jam_pemisah_tap,
    {{ detik_dari_teks('jam_pemisah_tap') }} as detik_pemisah_tap,
    cast(keterangan as {{ dbt.type_string() }}) as keterangan
from {{ ref('aturan_versi') }}
