"""The contract validator: the rows of one export file -> valid typed rows, quarantine, duplicates.

Every rule of ``sources.md`` that can be decided from one file alone is here, written as Polars
expressions (no per-row Python). Cross-file and cross-row rules that need the master or other
rows of the period (unknown NIP, several FINAL evaluations, overlapping absences, predikat
contradicting the matrix) belong to the dbt layer, which names file and line from the lineage
columns written here.

Every data row of the file ends up in exactly one of: ``valid`` (typed, ``raw_schema(kind)``),
``quarantine`` (``QUARANTINE_SCHEMA``, one row per rejected row, first failing column) or
``duplicates`` (exact repeats of an earlier row, which count once). So
``read == loaded + quarantined + duplicates``.

The reason catalogue (codes and Bahasa Indonesia sentences) is ``orchestration.reasons``; the
rules themselves, as Polars expressions, are ``orchestration.validation_rules``; this module is
the engine that runs them over a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from orchestration.core.contract import (
    QUARANTINE_SCHEMA,
    SCHEMAS,
    Column,
    format_nip,
    raw_schema,
)
from orchestration.reasons import ALASAN, MAX_ERROR_LINES, PESAN, alasan
from orchestration.validation_rules import (
    PERIODE_RE,
    Check,
    cleaned,
    column_checks,
    nip_valid,
    render,
    typed,
    typed_expr,
)

# --- columns the reader adds next to the file's own columns -------------------------------------
LINE_NO = "line_no"  # physical line (CSV; header = 1) or sheet row (XLSX) where the row starts
READ_PROBLEM = "_cacat_baca"  # rendered reason when the reader could not map a row safely
RAW_LINE = "_baris_mentah"  # the raw text of such a row, shown as the quarantined value
INTERNAL_COLUMNS = (LINE_NO, READ_PROBLEM, RAW_LINE)


# --- result ----------------------------------------------------------------------------------
@dataclass
class ValidationResult:
    kind: str
    periode: str
    source_file: str
    valid: pl.DataFrame  # raw_schema(kind), sorted by line_no
    quarantine: pl.DataFrame  # QUARANTINE_SCHEMA, sorted by line_no
    duplicates: pl.DataFrame  # line_no, sama_dengan_baris (the earlier line it repeats)
    read: int = 0  # data rows in the file
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # blocking period-level findings
    file_rejected: bool = False

    @property
    def counts(self) -> dict[str, int]:
        rows = self.quarantine.filter(pl.col(LINE_NO) > 0).height
        rejected_rows = self.read if self.file_rejected else rows
        return {
            "read": self.read,
            "loaded": self.valid.height,
            "quarantined": rejected_rows,
            "duplicates": self.duplicates.height,
        }


DUPLICATES_SCHEMA = pl.Schema({LINE_NO: pl.Int32, "sama_dengan_baris": pl.Int32})


def quarantine_row(
    kind: str,
    periode: str,
    source_file: str,
    template_id: str,
    *,
    line_no: int = 0,
    kolom: str | None = None,
    nilai: str | None = None,
    **fields: object,
) -> pl.DataFrame:
    """One quarantine row (default: a finding about the whole file, line 0)."""
    kode, teks = alasan(template_id, berkas=source_file, periode=periode, **fields)
    return pl.DataFrame(
        [[kind, periode, source_file, line_no, kolom, nilai, kode, teks, None]],
        schema=QUARANTINE_SCHEMA,
        orient="row",
    )


def reject_file(
    kind: str,
    periode: str,
    source_file: str,
    template_id: str,
    *,
    read: int = 0,
    kolom: str | None = None,
    nilai: str | None = None,
    notes: list[str] | None = None,
    **fields: object,
) -> ValidationResult:
    """A whole file rejected: nothing valid, one line-0 quarantine row."""
    kode, teks = alasan(template_id, berkas=source_file, periode=periode, **fields)
    return rejected_result(
        kind, periode, source_file, kode, teks, read=read, kolom=kolom, nilai=nilai, notes=notes
    )


def rejected_result(
    kind: str,
    periode: str,
    source_file: str,
    kode: str,
    teks: str,
    *,
    read: int = 0,
    kolom: str | None = None,
    nilai: str | None = None,
    notes: list[str] | None = None,
) -> ValidationResult:
    """A whole file rejected with an already rendered reason (e.g. from the reader)."""
    quarantine = pl.DataFrame(
        [[kind, periode, source_file, 0, kolom, nilai, kode, teks, None]],
        schema=QUARANTINE_SCHEMA,
        orient="row",
    )
    return ValidationResult(
        kind=kind,
        periode=periode,
        source_file=source_file,
        valid=raw_schema(kind).to_frame(),
        quarantine=quarantine,
        duplicates=DUPLICATES_SCHEMA.to_frame(),
        notes=list(notes or []),
        file_rejected=True,
        read=read,
    )


# --- the validator ---------------------------------------------------------------------------
def normalise_name(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


def validate(kind: str, periode: str, frame: pl.DataFrame, source_file: str) -> ValidationResult:
    """Validate the rows of one export file of ``kind`` for month ``periode`` (``YYYY-MM``).

    ``frame`` holds the file's columns as text (as ``readers.read_export`` returns them) and
    ``line_no``; without ``line_no``, rows are numbered as CSV lines (first data row = 2).
    """
    if kind not in SCHEMAS:
        raise ValueError(f"jenis berkas tidak dikenal: {kind!r}")
    if not isinstance(periode, str) or not re.fullmatch(PERIODE_RE, periode):
        raise ValueError(f"periode harus berformat YYYY-MM: {periode!r}")
    columns = SCHEMAS[kind]
    known = {c.name for c in columns}

    # header: names case-insensitive, surrounding spaces ignored
    names = [normalise_name(c) for c in frame.columns]
    for name in dict.fromkeys(names):
        n = names.count(name)
        if n > 1 and (name in known or name in INTERNAL_COLUMNS):
            return reject_file(
                kind, periode, source_file, "KOLOM_GANDA", kolom=name, n=n, read=frame.height
            )
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    missing = [c.name for c in columns if c.required and c.name not in frame.columns]
    extra = [c for c in frame.columns if c not in known and c not in INTERNAL_COLUMNS]
    if missing:
        return reject_file(
            kind,
            periode,
            source_file,
            "KOLOM_HILANG",
            read=frame.height,
            kolom=", ".join(missing),
            nilai=", ".join(c for c in frame.columns if c not in INTERNAL_COLUMNS),
            daftar=", ".join(f"'{m}'" for m in missing),
            petunjuk=_hint(missing, extra),
        )
    notes = []
    if extra:
        notes.append(
            PESAN["KOLOM_TAMBAHAN"].format(
                berkas=source_file, daftar=", ".join(f"'{e}'" for e in extra)
            )
        )
    if frame.height == 0:
        notes.append(PESAN["TANPA_DATA"].format(berkas=source_file))

    work = _prepare(frame, columns)
    checks = _checks(kind, columns, periode, has_read_problem=READ_PROBLEM in frame.columns)
    df = _evaluate(work, kind, columns, checks)

    # the frame's columns are chunked unevenly: an eager filter, select, drop or with_columns
    # would first rechunk (copy) all of them, so they go through ``lazy()``
    dup, failed = pl.col("__dup"), pl.col("__first").is_not_null()
    quarantined = df.lazy().filter(~dup & failed).collect()
    quarantine = _quarantine_frame(quarantined, kind, periode, source_file, checks)
    duplicates = (
        df.lazy()
        .filter(dup)
        .select(
            pl.col(LINE_NO).cast(pl.Int32),
            pl.col("__dup_of").cast(pl.Int32).alias("sama_dengan_baris"),
        )
        .sort(LINE_NO)
        .collect()
    )
    errors = _blocking_errors(df, periode, source_file) if kind == "pegawai" else []
    # last, from the typed columns alone: the text ones are freed before the valid rows are copied
    df = df.lazy().select(LINE_NO, "__dup", "__first", *(typed(c.name) for c in columns)).collect()
    valid = _valid_frame(df.lazy().filter(~dup & ~failed), kind, periode, source_file)
    return ValidationResult(
        kind=kind,
        periode=periode,
        source_file=source_file,
        valid=valid,
        quarantine=quarantine,
        duplicates=duplicates,
        notes=notes,
        errors=errors,
        read=frame.height,
    )


def _hint(missing: list[str], extra: list[str]) -> str:
    """Point at a column that looks like a missing one (``Kode OPD`` for ``kode_opd``)."""
    similar = []
    for m in missing:
        for e in extra:
            if e.replace(" ", "_").replace("-", "_") == m:
                similar.append(f"'{e}' (harus '{m}')")
    return f" (ada kolom yang mirip: {', '.join(similar)})" if similar else ""


def _prepare(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pl.LazyFrame:
    """Text cells trimmed, empty -> null; optional columns that are absent -> null."""
    exprs: list[pl.Expr] = []
    if LINE_NO in frame.columns:
        exprs.append(pl.col(LINE_NO).cast(pl.Int32))
    else:
        exprs.append((pl.int_range(pl.len(), dtype=pl.Int32) + 2).alias(LINE_NO))
    for extra in (READ_PROBLEM, RAW_LINE):
        if extra in frame.columns:
            exprs.append(pl.col(extra).cast(pl.String))
    for col in columns:
        if col.name not in frame.columns:
            exprs.append(pl.lit(None, pl.String).alias(col.name))
        elif _already_clean(frame.get_column(col.name)):
            exprs.append(pl.col(col.name))  # the file's column itself: no copy of its text
        else:
            x = pl.col(col.name).cast(pl.String).str.strip_chars()
            exprs.append(pl.when(x.str.len_bytes() > 0).then(x).alias(col.name))
    return frame.lazy().select(exprs)


def _already_clean(column: pl.Series) -> bool:
    """A text column that trimming and empty -> null would leave as it is."""
    if column.dtype != pl.String:
        return False
    length = column.str.len_bytes()
    return not ((column.str.strip_chars().str.len_bytes() != length) | (length == 0)).any()


def _checks(
    kind: str, columns: tuple[Column, ...], periode: str, *, has_read_problem: bool
) -> list[Check]:
    checks: list[Check] = []
    if has_read_problem:
        problem = pl.col(READ_PROBLEM)
        checks.append(Check("BARIS_RUSAK", None, problem.is_not_null(), pl.col(RAW_LINE), {}))
    for col in columns:
        checks += column_checks(kind, col, periode)
    if kind == "pegawai":
        checks.append(
            Check(
                "NIP_GANDA",
                "nip",
                pl.col("__ganda"),
                cleaned("nip"),
                {
                    "nilai": cleaned("nip"),
                    "n": pl.col("__ganda_n"),
                    "baris": pl.col("__ganda_baris"),
                    "periode": periode,
                },
            )
        )
    return checks


def _evaluate(
    work: pl.LazyFrame, kind: str, columns: tuple[Column, ...], checks: list[Check]
) -> pl.DataFrame:
    """Typed values, ``__first`` (index of the first failing check) and ``__dup`` per row."""
    typed_columns = [typed_expr(c).alias(f"__t_{c.name}") for c in columns]
    work = work.with_columns(typed_columns)

    # exact duplicates: same values in every contract column (enums, ints and upper-cased codes
    # compared as typed, so 'pns' repeats 'PNS'). A 64-bit hash finds candidates fast; equality
    # is then checked exactly on the candidates, so a hash collision can never drop a row. The
    # key columns are built for the candidates only.
    key = []
    for c in columns:
        if c.kind in ("enum", "int") or c.upper:
            key.append(pl.coalesce(typed(c.name).cast(pl.String), cleaned(c.name)))
        else:
            key.append(cleaned(c.name))
    if RAW_LINE in work.collect_schema():
        key.append(pl.col(RAW_LINE))
    key = [k.alias(f"__k{i}") for i, k in enumerate(key)]
    row_checks = [c for c in checks if c.template_id != "NIP_GANDA"]
    first = pl.coalesce(
        [pl.when(c.fails).then(pl.lit(i, pl.Int16)) for i, c in enumerate(row_checks)]
        + [pl.lit(None, pl.Int16)]
    )
    df = work.with_columns(
        pl.struct(key).hash(seed=0).alias("__hash"), first.alias("__first")
    ).collect()
    df = df.lazy().drop("__hash").collect().hstack(_duplicate_flags(df, key))

    # one NIP on two different rows of one snapshot: all its rows are held (pegawai)
    if kind == "pegawai":
        nip = cleaned("nip")
        ganda = pl.col("__nipkey").is_not_null() & (pl.col("__ganda_n") > 1)
        index = next(i for i, c in enumerate(checks) if c.template_id == "NIP_GANDA")
        df = (
            df.lazy()
            .with_columns(pl.when(~pl.col("__dup") & nip_valid(nip)).then(nip).alias("__nipkey"))
            .with_columns(
                pl.col("__nipkey").count().over("__nipkey").alias("__ganda_n"),
                pl.col(LINE_NO)
                .sort()
                .cast(pl.String)
                .str.join(", ")
                .over("__nipkey")
                .alias("__ganda_baris"),
            )
            # NIP_GANDA wins over a row's other failures: the NIP (the first column) is
            # ambiguous, and the quarantine must show every row of the NIP that blocks the period
            .with_columns(
                ganda.alias("__ganda"),
                pl.when(ganda)
                .then(pl.lit(index, pl.Int16))
                .otherwise(pl.col("__first"))
                .alias("__first"),
            )
            .collect()
        )
    return df


def _duplicate_flags(df: pl.DataFrame, key: list[pl.Expr]) -> list[pl.Series]:
    """``__dup`` (an exact repeat of an earlier row) and ``__dup_of`` (the first row's line),
    decided on the rows whose key hash is not unique."""
    key_names = [k.meta.output_name() for k in key]
    exact = (
        df.lazy()
        .with_row_index("__row")
        .filter(pl.col("__hash").is_duplicated())
        .with_columns(key)
        .select(
            "__row",
            (~pl.struct(key_names).is_first_distinct()).alias("__dup"),
            pl.col(LINE_NO).first().over(key_names).alias("__dup_of"),
        )
        .collect()
    )
    dup = pl.repeat(False, df.height, eager=True).alias("__dup")
    dup_of = pl.repeat(None, df.height, dtype=pl.Int32, eager=True).alias("__dup_of")
    if exact.height:
        rows = exact.get_column("__row")
        dup.scatter(rows, exact.get_column("__dup"))
        dup_of.scatter(rows, exact.get_column("__dup_of"))
    return [dup, dup_of]


def _valid_frame(rows: pl.LazyFrame, kind: str, periode: str, source_file: str) -> pl.DataFrame:
    schema = raw_schema(kind)
    exprs = [
        pl.lit(periode, pl.String).alias("periode"),
        pl.lit(source_file, pl.String).alias("source_file"),
        pl.col(LINE_NO).cast(pl.Int32),
    ]
    exprs += [
        typed(name).cast(dtype).alias(name)
        for name, dtype in schema.items()
        if name not in ("periode", "source_file", LINE_NO)
    ]
    return _sorted(rows.select(exprs).select(list(schema)).cast(dict(schema)).collect())


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` sorted by line; rows read from a file already are (no copy then)."""
    if frame.get_column(LINE_NO).is_sorted():
        return frame.lazy().with_columns(pl.col(LINE_NO).set_sorted()).collect()
    return frame.sort(LINE_NO)


def _quarantine_frame(
    df: pl.DataFrame, kind: str, periode: str, source_file: str, checks: list[Check]
) -> pl.DataFrame:
    if df.height == 0:
        return QUARANTINE_SCHEMA.to_frame()
    first = pl.col("__first")
    chain = None
    for i, c in enumerate(checks):
        if not (df.get_column("__first") == i).any():
            continue  # only build sentences for rules that actually fired
        if c.template_id == "BARIS_RUSAK":
            sentence = pl.col(READ_PROBLEM)
        else:
            sentence = render(c.template_id, c.fields)
        value = pl.struct(
            pl.lit(c.kolom, pl.String).alias("kolom"),
            c.nilai.cast(pl.String).alias("nilai"),
            pl.lit(ALASAN[c.template_id].kode, pl.String).alias("kode_alasan"),
            sentence.alias("alasan"),
        )
        chain = (pl.when(first == i) if chain is None else chain.when(first == i)).then(value)
    assert chain is not None
    return (
        df.select(
            pl.lit(kind, pl.String).alias("kind"),
            pl.lit(periode, pl.String).alias("periode"),
            pl.lit(source_file, pl.String).alias("source_file"),
            pl.col(LINE_NO).cast(pl.Int32),
            chain.alias("__r"),
            _whose(df).alias("nip"),
        )
        .unnest("__r")
        .sort(LINE_NO)
        .select(list(QUARANTINE_SCHEMA))
        .cast(dict(QUARANTINE_SCHEMA))
    )


def _whose(df: pl.DataFrame) -> pl.Expr:
    """The NIP of each quarantined row when the row's own ``nip`` is a valid NIP (a row rejected
    for its golongan still names its employee); null for a row the reader could not map safely
    (its columns may be shifted) or an invalid NIP."""
    if "nip" not in df.columns:
        return pl.lit(None, pl.String)
    ok = nip_valid(cleaned("nip"))
    if READ_PROBLEM in df.columns:
        ok = ok & pl.col(READ_PROBLEM).is_null()
    return pl.when(ok).then(cleaned("nip"))


def _blocking_errors(df: pl.DataFrame, periode: str, source_file: str) -> list[str]:
    """One ERROR per NIP found on several different rows of a pegawai snapshot."""
    ganda = (
        df.lazy()
        .filter(pl.col("__ganda"))
        .group_by("__nipkey")
        .agg(pl.col(LINE_NO).sort())
        .sort("__nipkey")
        .collect()
    )
    errors = []
    for nip, lines in ganda.head(MAX_ERROR_LINES).iter_rows():
        errors.append(
            PESAN["PERIODE_DIBLOKIR"].format(
                periode=periode,
                nip=format_nip(nip),
                n=len(lines),
                berkas=source_file,
                baris=", ".join(map(str, lines)),
            )
        )
    if ganda.height > MAX_ERROR_LINES:
        errors.append(
            PESAN["PERIODE_DIBLOKIR_LAINNYA"].format(
                periode=periode, n=ganda.height - MAX_ERROR_LINES, berkas=source_file
            )
        )
    return errors
