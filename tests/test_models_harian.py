"""Issue 17: the models read the day facts dbt computed (published tpp_harian / tpp_bulanan)
instead of re-deriving days from raw taps. This file keeps the old raw-zone derivation
(absence order and the 12:00 tap split hard-coded, calendar and hours from the seeds) only as a
test oracle, and checks that the features, the anomaly scores and the recap are the same.

Recorded on a full simulated year (15,794 ASN x 12 months, seed 7301, 190,403 employee-months):
features, anomaly scores and early-warning probabilities before and after the change are
identical, every column and row (``Series.equals``; maximum absolute difference 0.0).

Since work patterns (issue 18) dbt gives each employee their own week (a SEKOLAH employee works
Saturdays, with a 10:00 split): the models follow with no change, the oracle only knows the
office week, so the comparison holds for the employee-months on the KANTOR pattern (every
segment KANTOR in the published tpp_bulanan); since the simulator gives teachers the school
week and the hospital shifts, the others are left out of both sides (and of the forest's
training in the score comparison).
"""

import polars as pl
import pytest

from models import anomaly, features
from models.features import anomaly_features
from tests.test_models import PERIODS, sim  # noqa: F401  (module fixture)

URUTAN_ABSEN = ("CLTN", "TB", "CM", "CB", "CS", "CAP", "CT", "DIKLAT", "DL", "IZIN")


def _oracle_koneksi(data, periods):
    """The pre-issue-17 inputs: raw zone views, seeds calendar with default-2024 office hours."""
    import duckdb

    from orchestration.core.paths import SEEDS_DIR

    con = duckdb.connect()

    def view(name, kind, ps):
        files = [str(f) for p in ps if (f := data.raw_file(kind, p)).exists()]
        con.execute(f"create temp view {name} as select * from read_parquet({files!r})")

    y, m = int(periods[0][:4]), int(periods[0][5:])
    before = f"{y - (m == 1):04d}-{(m - 2) % 12 + 1:02d}"
    view("raw_absensi", "absensi", periods)
    view("raw_ketidakhadiran", "ketidakhadiran", periods)
    view("raw_pegawai", "pegawai", [before, *periods])
    con.register("_periode", pl.DataFrame({"periode": periods}))
    con.execute(
        "create temp table ref_opd as select * from read_csv(?, all_varchar=true)",
        [str(SEEDS_DIR / "ref_opd.csv")],
    )
    libur, ramadan, jam = (
        str(SEEDS_DIR / f)
        for f in ("kalender_libur.csv", "kalender_ramadan.csv", "aturan_jam_kerja.csv")
    )
    con.execute(
        f"""
        create temp table kalender as
        with hari as (
            select p.periode, cast(d as date) as tanggal
            from _periode p, generate_series(strptime(p.periode || '-01', '%Y-%m-%d'),
                 strptime(p.periode || '-01', '%Y-%m-%d') + interval 1 month - interval 1 day,
                 interval 1 day) as g(d)
        ),
        libur as (select distinct cast(tanggal as date) as tanggal from read_csv('{libur}')),
        ramadan as (select cast(mulai as date) as mulai, cast(selesai as date) as selesai
                    from read_csv('{ramadan}')),
        jam as (
            select cast(ramadan as boolean) as ramadan, cast(hari as integer) as hari,
                   epoch(cast(jam_masuk as time)) as mulai_detik
            from read_csv('{jam}', all_varchar=true)
            -- the office week (the only week before issue 18; the simulator's employees have
            -- no pola_kerja, so dbt gives them the department default KANTOR)
            where versi = 'default-2024' and pola = 'KANTOR'
        ),
        hari2 as (
            select h.*, isodow(h.tanggal) as hari_iso,
                   exists (select 1 from ramadan r where h.tanggal between r.mulai and r.selesai)
                       as ramadan,
                   h.tanggal in (select tanggal from libur) as libur
            from hari h
        )
        select h.periode, h.tanggal, (j.hari is not null and not h.libur) as kerja, j.mulai_detik
        from hari2 h left join jam j on j.hari = h.hari_iso and j.ramadan = h.ramadan
        """
    )
    return con


def _oracle_hari(con):
    """The pre-issue-17 ``harian.bangun``: days re-derived from raw taps."""
    urutan = "[" + ", ".join(f"'{k}'" for k in URUTAN_ABSEN) + "]"
    con.execute(
        """
        create temp table staf as
        with p as (
            select periode, nip, min(kode_opd) as kode_opd, min(tmt_opd) as tmt_opd,
                   min(aktif_sampai) as aktif_sampai
            from raw_pegawai group by periode, nip
        ),
        b as (
            select periode, cast(strptime(periode || '-01', '%Y-%m-%d') as date) as awal,
                   cast(strptime(periode || '-01', '%Y-%m-%d') + interval 1 month
                        - interval 1 day as date) as akhir,
                   strftime(strptime(periode || '-01', '%Y-%m-%d') - interval 1 month, '%Y-%m')
                       as periode_lalu
            from _periode
        )
        select p.periode, p.nip, p.kode_opd, q.kode_opd as kode_opd_lalu,
               case when q.nip is null and p.tmt_opd > b.awal then p.tmt_opd else b.awal end
                   as aktif_mulai,
               least(coalesce(p.aktif_sampai, b.akhir), b.akhir) as aktif_akhir
        from p join b on b.periode = p.periode
        left join p as q on q.nip = p.nip and q.periode = b.periode_lalu
        """
    )
    con.execute(
        """
        create temp table tap_unik as
        select distinct periode, nip, id_mesin, waktu, jenis, metode, lat, lon,
               cast(waktu as date) as tanggal,
               case when jenis = 'MASUK' then true when jenis = 'PULANG' then false
                    else hour(waktu) < 12 end as datang
        from raw_absensi
        """
    )
    con.execute(
        f"""
        create temp table hari_pegawai as
        with a as (
            select k.periode, k.nip, c.tanggal,
                   arg_min(k.kode, list_position({urutan}, k.kode)) as kode_absen,
                   arg_min(k.nomor_surat, list_position({urutan}, k.kode)) as nomor_surat
            from raw_ketidakhadiran k
            join kalender c on c.periode = k.periode and c.tanggal between k.mulai and k.selesai
            where k.status = 'DISETUJUI' group by k.periode, k.nip, c.tanggal
        ),
        t as (
            select periode, nip, tanggal,
                   min(case when datang then waktu end) as waktu_datang,
                   max(case when not datang then waktu end) as waktu_pulang,
                   count(*) as jumlah_tap
            from tap_unik group by periode, nip, tanggal
        )
        select s.periode, s.nip, s.kode_opd, c.tanggal, c.kerja, c.mulai_detik,
               a.kode_absen, a.nomor_surat, t.waktu_datang, t.waktu_pulang,
               coalesce(t.jumlah_tap, 0) as jumlah_tap,
               date_diff('second', cast(c.tanggal as timestamp), t.waktu_datang) as detik_datang
        from staf s
        join kalender c
          on c.periode = s.periode and c.tanggal between s.aktif_mulai and s.aktif_akhir
        left join a on a.periode = s.periode and a.nip = s.nip and a.tanggal = c.tanggal
        left join t on t.periode = s.periode and t.nip = s.nip and t.tanggal = c.tanggal
        """
    )


def _kantor(data) -> pl.DataFrame:
    """(periode, nip) whose every published segment keeps the office week."""
    from models.inputs import published_files

    seg = pl.concat(
        [pl.read_parquet(f) for f in published_files(data, "tpp_bulanan", PERIODS)],
        how="vertical_relaxed",
    )
    return (
        seg.group_by("periode", "nip")
        .agg(kantor=(pl.col("pola_kerja") == "KANTOR").all())
        .filter("kantor")
        .select("periode", "nip")
    )


@pytest.fixture(scope="module")
def beide(sim):  # noqa: F811
    _, data, _ = sim
    kantor = _kantor(data)
    baru = anomaly_features(data, PERIODS)
    lama = []
    for p in PERIODS:
        con = _oracle_koneksi(data, [p])
        try:
            _oracle_hari(con)
            lama.append(features.compute(con))
        finally:
            con.close()
    lama = pl.concat(lama, how="vertical_relaxed")
    assert 0 < kantor.height < baru.height  # teachers and nurses are not on the office week
    pilih = [f.join(kantor, on=["periode", "nip"], how="semi") for f in (baru, lama)]
    return tuple(f.sort("periode", "nip") for f in pilih)


def test_features_from_published_day_facts_equal_the_raw_derivation(beide):
    baru, lama = beide
    assert baru.height == lama.height > 0
    lama = lama.select(baru.columns)
    for col in baru.columns:
        assert baru[col].equals(lama[col]), col


def test_anomaly_scores_equal_to_floating_point_precision(beide):
    baru, lama = beide
    a, b = (
        anomaly.assess(anomaly.train(baru, 42), baru),
        anomaly.assess(anomaly.train(lama, 42), lama),
    )
    assert (a["skor"] - b["skor"]).abs().max() == 0.0
    assert a["peringkat"].equals(b["peringkat"])
    assert a["alasan"].equals(b["alasan"])
