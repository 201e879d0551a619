"""``kinerja bench`` on a tiny population: the pieces work and measure what they say (not timed).

One simulated population of 40 employees, three months: two delivered and run, then the third
delivered (only that partition may be processed), then a rerun with nothing new (no-op). The
floor query must agree with ``tpp_bulanan`` row for row.
"""

import dataclasses
import json
from types import SimpleNamespace

import polars as pl
import pytest

from orchestration.core.paths import DataDir
from orchestration.tools import bench

PERIODS = ["2025-02", "2025-03", "2025-04"]


def test_months_cross_year_ends():
    assert bench.months("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert bench.months("2025-03", "2025-03") == ["2025-03"]


def test_steps_map_to_stages():
    assert bench.step_stage("ingest_absensi") == "ingest"
    assert bench.step_stage("tpp_dbt") == "dbt"
    assert bench.step_stage("cek_tpp_bulanan") == "checks"
    assert bench.step_stage("published_tpp") == "publish"
    assert bench.step_stage("model") == bench.MODEL  # the model job's one step


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    sim = bench.simulated(root / "sim", 40, 3, PERIODS[0], PERIODS[-1], seed=7)
    again = bench.simulated(root / "sim", 40, 3, PERIODS[0], PERIODS[-1], seed=7)
    exports, data = root / "exports", DataDir.resolve(root / "data")
    bench.deliver(sim, exports, PERIODS[:2])
    _add_bad_tap(exports / f"absensi_{PERIODS[0].replace('-', '')}.csv")
    first = bench.kinerja_run("awal", exports, data, 40)
    lantai = bench.floor(data, PERIODS[:2], repeat=1)
    bench.deliver(sim, exports, PERIODS[2:])
    incremental = bench.kinerja_run("inkremental", exports, data, 40)
    noop = bench.kinerja_run("tanpa_perubahan", exports, data, 40)
    model = bench.kinerja_run(bench.MODEL, exports, data, 40, model=True)
    return SimpleNamespace(
        sim=sim,
        again=again,
        first=first,
        lantai=lantai,
        incremental=incremental,
        noop=noop,
        model=model,
        data=data,
    )


def _add_bad_tap(path):
    """A copy of the delivered file (not the simulator's, which it is a hard link of) with one
    tap whose NIP is invalid, so the quarantine of the first period has a row to check."""
    lines = path.read_text().splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    row[header.index("nip")] = "12345"
    path.unlink()
    path.write_text("\n".join([*lines, ",".join(row)]) + "\n")


def test_simulation_is_reused(runs):
    sim, again = runs.sim, runs.again
    assert not sim.dipakai_ulang and again.dipakai_ulang and again.folder == sim.folder


def test_full_run_reports_stages_memory_and_rows(runs):
    first = runs.first
    assert first.kode_keluar == 0 and first.periode == PERIODS[:2]
    assert all(first.tahap[s] > 0 for s in bench.STAGES)
    assert first.tahap["lain"] >= 0 and sum(first.tahap.values()) >= first.detik - 0.01
    assert set(first.rss_tahap_mb) >= set(bench.STAGES)
    assert first.rss_puncak_mb > 50 and first.maxrss_mb > 50
    assert first.tap > 0 and first.hari_pegawai > 0 and first.baris_tpp > 0


def test_floor_agrees_with_tpp_bulanan(runs):
    first, lantai = runs.first, runs.lantai
    assert lantai.baris == first.baris_tpp
    assert lantai.beda == 0, lantai.beda_kolom


def test_new_month_processes_only_its_partition(runs):
    incremental, noop = runs.incremental, runs.noop
    assert incremental.kode_keluar == 0 and incremental.periode == PERIODS[2:]
    assert noop.kode_keluar == 0 and noop.noop and noop.periode == []


def test_report_and_json(runs):
    first, lantai, incremental, noop = runs.first, runs.lantai, runs.incremental, runs.noop
    year = dataclasses.replace(first, nama="tahun")  # judged as the bench's year
    result = bench.Hasil(bench.machine(), {}, tahap=[year, incremental, noop], lantai=lantai)
    result.target = bench.judge(result)
    text = bench.table(result)
    assert "awal" in text and "lantai" in text
    assert result.target["tanpa_perubahan"]["noop"] is True
    assert result.target["tanpa_perubahan"]["batas"] == 2.0
    limit = 3 * lantai.detik + 10
    assert result.target["tahun_vs_lantai"]["batas"] == round(limit, 2)
    assert result.target["tahun_vs_lantai"]["terpenuhi"] == (year.detik <= limit)
    assert "tetap" not in result.target  # no fixed-cost stage in this result
    assert "model" not in result.target  # nor a run with the models
    json.dumps(result.to_json())


def test_model_stage_is_the_model_step_and_judged_against_ten_seconds(runs):
    model = runs.model
    assert model.kode_keluar == 0 and model.periode == PERIODS  # every period, then the models
    assert 0 < model.tahap[bench.MODEL] < model.detik
    assert all(model.tahap[s] > 0 for s in bench.STAGES)
    assert runs.first.tahap[bench.MODEL] == 0  # a run without --model has no model step
    result = bench.Hasil(bench.machine(), {}, tahap=[model])
    result.target = bench.judge(result)
    assert result.target["model"]["batas"] == 10.0
    assert result.target["model"]["nilai"] == round(model.tahap[bench.MODEL], 2)
    assert f"{model.tahap[bench.MODEL]:>7.1f}" in bench.table(result)


# --- the checks' shortcut: GX is skipped only where GX would certainly pass -------------------

ASSETS = (
    "raw/pegawai",
    "raw/absensi",
    "raw/ketidakhadiran",
    "raw/kinerja",
    "raw/aktivitas",
    "tpp_bulanan",
    "tpp_harian",
    "tpp_opd_bulanan",
    "karantina",
    "temuan",
)


def _frame(data, asset, periode):
    from quality.loaders import read_raw, warehouse

    if asset.startswith("raw/"):
        return read_raw(data, asset.removeprefix("raw/"), periode)
    with warehouse(data) as wh:
        return wh.table(asset, [periode])


def _broken(exp, frame: pl.DataFrame) -> pl.DataFrame | None:
    """A copy of ``frame`` (at least 2 rows) that breaks ``exp`` on its first rows."""
    kw, first = exp.kwargs, pl.int_range(pl.len()) == 0

    def put(column, value, rows=first):
        dtype = frame.schema[column]
        dtype = pl.String if isinstance(dtype, pl.Enum | pl.Categorical) else dtype
        return frame.with_columns(
            pl.when(rows).then(pl.lit(value)).otherwise(pl.col(column)).cast(dtype).alias(column)
        )

    column = kw.get("column")
    match exp.type:
        case "ExpectTableRowCountToBeBetween":
            return frame.head(0)
        case "ExpectTableColumnsToMatchSet":
            return frame.drop(kw["column_set"][-1])
        case "ExpectColumnValuesToNotBeNull":
            return put(column, None)
        case "ExpectColumnValuesToBeInSet":
            dtype = frame.schema[column]
            bad = False if dtype == pl.Boolean else (-1 if dtype.is_integer() else "ZZZ")
            return None if bad in kw["value_set"] else put(column, bad)
        case "ExpectColumnValuesToBeBetween":
            return put(column, kw["min_value"] - 1 if "min_value" in kw else kw["max_value"] + 1)
        case "ExpectColumnValuesToMatchRegex":
            return put(column, "x١")
        case "ExpectColumnPairValuesAToBeGreaterThanB":
            a, b = kw["column_A"], kw["column_B"]
            lower = pl.col(b) - (pl.duration(days=1) if frame.schema[b] == pl.Date else 1)
            return frame.with_columns(
                pl.when(first).then(lower).otherwise(pl.col(a)).cast(frame.schema[a]).alias(a)
            )
        case "ExpectColumnValuesToBeUnique":
            value = frame.get_column(column).drop_nulls().first()
            return None if value is None else put(column, value, pl.int_range(pl.len()) < 2)
        case "ExpectCompoundColumnsToBeUnique":
            return frame.vstack(frame.head(1))
    return None


@pytest.mark.parametrize("asset", ASSETS)
def test_no_expectation_that_breaks_is_taken_as_passed(runs, asset):
    from quality.suites import suite_for
    from quality.validate import certainly_passes

    periode = runs.first.periode[0]
    frame = _frame(runs.data, asset, periode)
    suite = suite_for(asset, periode)
    frame = pl.concat([frame.head(5)] * 2) if frame.height < 2 else frame.head(50)
    if frame.height < 2:
        pytest.skip(f"{asset} {periode} kosong")
    prepared = suite.prepare(frame) if suite.prepare else frame
    checked = 0
    for exp in suite.expectations:
        broken = _broken(exp, prepared)
        if broken is None:
            continue
        assert not certainly_passes(exp, broken), (exp.type, exp.kwargs)
        checked += 1
    assert checked >= len(suite.expectations) - 1


@pytest.mark.parametrize("asset", ASSETS)
def test_checks_without_gx_give_what_gx_gives(runs, asset):
    from quality.suites import suite_for
    from quality.validate import run_suite

    periode = runs.first.periode[-1]
    frame = _frame(runs.data, asset, periode)
    suite = suite_for(asset, periode)
    for variant in (frame, frame.vstack(frame.head(1)), frame.head(0)):
        assert run_suite(suite, variant) == run_suite(suite, variant, always_gx=True)
