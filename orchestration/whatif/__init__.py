"""What-if: recompute the TPP of some months under a candidate rulebook, in a sandbox, and
compare it with the published TPP.

``kinerja whatif --data DIR --aturan FILE --mulai YYYY-MM --sampai YYYY-MM [--out DIR]``

The candidate rulebook is a YAML file (example: ``transforms/whatif/contoh_aturan.yaml``): a
base version (``dasar``, default ``default-2024``) and overrides of it. Its rows are written as
a NEW version (``nama``) next to the shipped ones in a sandbox copy of the dbt project's seeds;
the shipped seeds are never edited.

Sandbox (nothing of DIR is written; published and locked data and DIR/warehouse.duckdb are
never opened for writing):

- a temp folder with a copy of ``transforms/`` (models, macros, tests, seeds + candidate rows);
- a temp data folder whose ``raw`` is a symlink to ``DIR/raw`` (only read by the staging views)
  and a fresh ``warehouse.duckdb``;
- ONE ``dbt build --select +tpp_bulanan --vars {periode_mulai, periode_sampai, aturan_versi}``
  (data tests of the selected nodes included, dbt unit tests excluded: they do not depend on
  the data).

Then the new ``tpp_bulanan`` is compared with the published one (snapshot ``current``) row by
row on (periode, nip, kode_opd): per department and in total old and new bruto and neto, the
difference, who gains and who loses and by how much (quantiles and bins over the employees'
sums for the window), a summary in Bahasa Indonesia and an XLSX for the meeting.

A candidate may also change working hours (``jam_kerja``: a weekday of a weekly pattern changed,
added or removed) and shift hours (``shift``): hours are rulebook data (jadwal.md: "hours change
by decree"), and such a candidate always takes the dbt path, since the day facts change.

Speed: the dbt path recomputes everything from taps (the day grid, discipline, evaluations), so
a full year of 15,794 people takes what a pipeline build takes (see the report printed by the
command). When a candidate only changes weights, predikat percentages, status share, basis, PPh
21 or BPJS rates, the fast path (``recompute_amounts``) builds only the dbt model
``whatif_tpp_cepat`` over the published rows (hari_efektif, persen_kinerja, persen_disiplin,
kelas, status, golongan are all in ``tpp_bulanan``) with the same money formula as the pipeline
(``transforms/macros/jumlah_tpp.sql``): no pay rule is written in this module.
"""

from orchestration.whatif.candidate import AturanUsulan, WhatIfError, base_rows, candidate_rows
from orchestration.whatif.comparison import Perbandingan, compare, ringkasan
from orchestration.whatif.engine import METODE, whatif
from orchestration.whatif.sandbox import fast_path_reason, recompute_amounts, run_sandbox
from orchestration.whatif.workbook import write_xlsx, xlsx_bytes

__all__ = [
    "METODE",
    "AturanUsulan",
    "Perbandingan",
    "WhatIfError",
    "base_rows",
    "candidate_rows",
    "compare",
    "fast_path_reason",
    "recompute_amounts",
    "ringkasan",
    "run_sandbox",
    "whatif",
    "write_xlsx",
    "xlsx_bytes",
]
