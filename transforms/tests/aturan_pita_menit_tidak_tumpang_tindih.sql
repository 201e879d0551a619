-- Minute bands of one category in one version must not overlap (one code per arrival/departure),
-- and there is exactly one tanpa_tap band per category.
select a.versi, a.kategori, a.kode, b.kode as kode_lain
from {{ ref('aturan_potongan') }} as a
inner join {{ ref('aturan_potongan') }} as b
    on b.versi = a.versi and b.kategori = a.kategori and a.kode < b.kode
where a.kategori in ('TERLAMBAT', 'PULANG_CEPAT')
  and (
    (
        (b.menit_max is null or a.menit_min <= b.menit_max)
        and (a.menit_max is null or b.menit_min <= a.menit_max)
    )
    or (a.tanpa_tap and b.tanpa_tap)
  )
