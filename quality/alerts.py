"""Alerts: one message per failed check or failed run, through a JSON webhook and/or SMTP email.

De-duplicated: the same failure (same check, period, asset and failure fingerprint) pages once;
every alert, sent or suppressed, is kept in ``DATA/alerts.sqlite`` (table ``riwayat_alert``) for
the app. ``send_alert`` is callable directly (the pipeline after an in-process run) and is what
the Dagster sensors of ``orchestration.alerting`` call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import smtplib
import sqlite3
import ssl
import urllib.request
from contextlib import closing
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.core.paths import DataDir
from quality.config import AlertConfig, SmtpConfig, WebhookConfig
from quality.outcome import ERROR, CheckOutcome, json_safe

# what happened to an alert
TERKIRIM = "TERKIRIM"  # every configured channel accepted it
SEBAGIAN = "SEBAGIAN"  # at least one channel accepted it, another failed
GAGAL = "GAGAL"  # every channel failed (it will be tried again next time)
TANPA_KANAL = "TANPA_KANAL"  # no channel configured; recorded only
DITEKAN = "DITEKAN"  # suppressed: the same failure was already sent
DELIVERED = (TERKIRIM, SEBAGIAN)

MAX_OPD_SHOWN = 5
MAX_PLACES_SHOWN = 5


@dataclass(frozen=True)
class Alert:
    """What failed, where, how many rows and where to look; ``text`` is the message."""

    severity: str  # ERROR | WARN
    what: str  # one sentence, Bahasa Indonesia
    periode: str | None = None  # "2025-03" or "2025-01, 2025-02"
    check_name: str | None = None  # None for a failed run
    asset: str | None = None
    n_failed: int | None = None
    kode_opd: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # file/line or nip/department samples
    fingerprint: str = ""
    run_id: str | None = None
    job: str | None = None
    app_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def dedup_key(self) -> str:
        subject = self.check_name or f"run:{self.job or '-'}"
        text = "|".join([subject, self.periode or "-", self.asset or "-", self.fingerprint])
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def title(self) -> str:
        where = f" periode {self.periode}" if self.periode else ""
        if self.check_name:
            return (
                f"[Si-Kinerja] {self.severity}: cek {self.check_name} pada "
                f"{self.asset or '-'} gagal{where}"
            )
        return f"[Si-Kinerja] {self.severity}: run {self.job or ''} gagal{where}".replace("  ", " ")

    @property
    def app_link(self) -> str:
        if not self.app_url:
            return ""
        first = (self.periode or "").split(",")[0].strip()
        return f"{self.app_url}/?periode={first}" if first else self.app_url

    @property
    def text(self) -> str:
        lines = [self.title, f"Periode: {self.periode or '-'}"]
        if self.kode_opd:
            shown = ", ".join(self.kode_opd[:MAX_OPD_SHOWN])
            more = len(self.kode_opd) - MAX_OPD_SHOWN
            lines.append(f"OPD: {shown}" + (f" (+{more} lainnya)" if more > 0 else ""))
        lines.append(f"Masalah: {self.what}")
        if self.n_failed is not None:
            lines.append(f"Jumlah baris bermasalah: {self.n_failed}")
        look = []
        if self.check_name:
            look.append(f"aset {self.asset}, cek {self.check_name} (Dagster: Asset checks)")
        elif self.run_id:
            look.append(f"run {self.run_id} (Dagster: Runs)")
        if self.app_link:
            look.append(f"aplikasi {self.app_link}")
        lines.append("Lihat: " + "; ".join(look) if look else "Lihat: -")
        for place in self.places[:MAX_PLACES_SHOWN]:
            lines.append(f"  - {place}")
        if self.run_id and self.check_name:
            lines.append(f"Run: {self.run_id}")
        return "\n".join(lines)

    def payload(self) -> dict[str, Any]:
        """JSON body of the webhook: ``text`` (Slack/Telegram-style) plus structured fields."""
        return json_safe(
            {
                "text": self.text,
                "judul": self.title,
                "tingkat": self.severity,
                "periode": self.periode,
                "cek": self.check_name,
                "aset": self.asset,
                "jumlah_gagal": self.n_failed,
                "kode_opd": list(self.kode_opd),
                "masalah": self.what,
                "lokasi": list(self.places),
                "run_id": self.run_id,
                "job": self.job,
                "sidik_jari": self.fingerprint,
                "kunci_dedup": self.dedup_key,
                "tautan": self.app_link or None,
                **self.extra,
            }
        )


def places_of(details: dict[str, Any]) -> tuple[str, ...]:
    """'absensi_202503.csv baris 17 (NIP ...)' lines from an outcome's samples."""
    rows: list[dict] = []
    rows += [r for r in details.get("contoh", []) if isinstance(r, dict)]
    for failed in details.get("gagal", []):
        rows += [r for r in failed.get("contoh_baris", []) if isinstance(r, dict)]
    out = []
    for r in rows:
        bits = []
        if r.get("source_file"):
            bits.append(f"{r['source_file']} baris {r.get('line_no', '?')}")
        if r.get("nip"):
            bits.append(f"NIP {r['nip']}")
        if r.get("kode_opd"):
            bits.append(f"OPD {r['kode_opd']}")
        if r.get("kolom_beda"):
            bits.append(f"kolom {r['kolom_beda']}")
        if bits and (text := ", ".join(bits)) not in out:
            out.append(text)
    return tuple(out)


def alert_from_outcome(
    outcome: CheckOutcome, run_id: str | None = None, app_url: str = ""
) -> Alert:
    return Alert(
        severity=outcome.severity,
        what=outcome.description,
        periode=outcome.periode,
        check_name=outcome.check,
        asset=outcome.asset,
        n_failed=outcome.n_failed,
        kode_opd=outcome.kode_opd,
        places=places_of(outcome.details),
        fingerprint=outcome.fingerprint,
        run_id=run_id,
        app_url=app_url,
    )


# --- channels ---------------------------------------------------------------------------------


def post_webhook(config: WebhookConfig, alert: Alert) -> None:
    body = json.dumps(alert.payload(), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        config.url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "si-kinerja"},
    )
    with urllib.request.urlopen(request, timeout=config.timeout) as response:
        if not 200 <= response.status < 300:
            raise RuntimeError(f"webhook menjawab HTTP {response.status}")


def send_email(config: SmtpConfig, alert: Alert) -> None:
    message = EmailMessage()
    message["Subject"] = alert.title
    message["From"] = config.sender
    message["To"] = ", ".join(config.recipients)
    message["X-Si-Kinerja-Dedup"] = alert.dedup_key
    message.set_content(alert.text)
    factory = smtplib.SMTP_SSL if config.ssl else smtplib.SMTP
    with factory(config.host, config.port, timeout=config.timeout) as smtp:
        if config.starttls and not config.ssl:
            smtp.starttls(context=ssl.create_default_context())
        if config.user:
            smtp.login(config.user, config.password)
        smtp.send_message(message, from_addr=config.sender, to_addrs=list(config.recipients))


# --- history ----------------------------------------------------------------------------------

ALERT_SCHEMA = pl.Schema(
    {
        "id": pl.Int64,
        "dibuat": pl.Datetime("us", "UTC"),
        "status": pl.String,  # TERKIRIM | SEBAGIAN | GAGAL | TANPA_KANAL | DITEKAN
        "kanal": pl.String,  # channels that accepted it, comma-separated
        "galat": pl.String,  # channel errors ('' when none)
        "tingkat": pl.String,
        "periode": pl.String,
        "kode_opd": pl.String,
        "check_name": pl.String,
        "asset": pl.String,
        "n_failed": pl.Int64,
        "judul": pl.String,
        "pesan": pl.String,
        "run_id": pl.String,
        "fingerprint": pl.String,
        "dedup_key": pl.String,
    }
)

_DDL = """
create table if not exists riwayat_alert (
    id integer primary key autoincrement,
    dibuat text not null,
    status text not null,
    kanal text not null,
    galat text not null,
    tingkat text not null,
    periode text,
    kode_opd text not null,
    check_name text,
    asset text,
    n_failed integer,
    judul text not null,
    pesan text not null,
    run_id text,
    fingerprint text not null,
    dedup_key text not null
);
create index if not exists riwayat_alert_kunci on riwayat_alert (dedup_key, status);
"""


def alert_history_path(data: DataDir) -> Path:
    return data.root / "alerts.sqlite"


@dataclass(frozen=True)
class AlertRecord:
    status: str
    channels: tuple[str, ...]
    errors: tuple[str, ...]
    alert: Alert

    @property
    def sent(self) -> bool:
        return self.status in DELIVERED


def _already_sent(
    con: sqlite3.Connection, key: str, since: dt.datetime | None, statuses: tuple[str, ...]
) -> bool:
    marks = ", ".join("?" for _ in statuses)
    sql = f"select 1 from riwayat_alert where dedup_key = ? and status in ({marks})"
    params: list[Any] = [key, *statuses]
    if since is not None:
        sql += " and dibuat >= ?"
        params.append(since.isoformat())
    return con.execute(sql + " limit 1", params).fetchone() is not None


def send_alert(
    alert: Alert,
    data: DataDir | None = None,
    config: AlertConfig | None = None,
    now: dt.datetime | None = None,
) -> AlertRecord:
    """Send ``alert`` on every configured channel unless the same failure was already sent.

    The check-and-send runs inside one SQLite write transaction, so a sensor and the pipeline
    alerting at the same moment still page once.
    """
    data = data or DataDir.resolve()
    config = config or AlertConfig.load()
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    if config.app_url and not alert.app_url:
        alert = replace(alert, app_url=config.app_url)
    since = now - dt.timedelta(hours=config.realert_hours) if config.realert_hours > 0 else None
    path = alert_history_path(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=60, isolation_level=None)) as con:
        con.executescript(_DDL)
        con.execute("begin immediate")
        try:
            sent: list[str] = []
            errors: list[str] = []
            # without channels, a failure already recorded is not recorded again either
            seen = DELIVERED if config.channels else (*DELIVERED, TANPA_KANAL)
            if _already_sent(con, alert.dedup_key, since, seen):
                status = DITEKAN
            elif not config.channels:
                status = TANPA_KANAL
            else:
                for name, send, cfg in (
                    ("webhook", post_webhook, config.webhook),
                    ("email", send_email, config.smtp),
                ):
                    if cfg is None:
                        continue
                    try:
                        send(cfg, alert)
                        sent.append(name)
                    except Exception as exc:  # noqa: BLE001 - recorded, other channels go on
                        errors.append(f"{name}: {type(exc).__name__}: {exc}"[:500])
                status = (TERKIRIM if not errors else SEBAGIAN) if sent else GAGAL
            con.execute(
                "insert into riwayat_alert (dibuat, status, kanal, galat, tingkat, periode, "
                "kode_opd, check_name, asset, n_failed, judul, pesan, run_id, fingerprint, "
                "dedup_key) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now.isoformat(),
                    status,
                    ",".join(sent),
                    "; ".join(errors),
                    alert.severity,
                    alert.periode,
                    ",".join(alert.kode_opd),
                    alert.check_name,
                    alert.asset,
                    alert.n_failed,
                    alert.title,
                    alert.text,
                    alert.run_id,
                    alert.fingerprint,
                    alert.dedup_key,
                ),
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return AlertRecord(status, tuple(sent), tuple(errors), alert)


def send_outcome_alerts(
    outcomes: list[CheckOutcome],
    data: DataDir | None = None,
    config: AlertConfig | None = None,
    run_id: str | None = None,
) -> list[AlertRecord]:
    """One alert per failed outcome (WARN ones only when the config says so)."""
    config = config or AlertConfig.load()
    return [
        send_alert(alert_from_outcome(o, run_id, config.app_url), data, config)
        for o in outcomes
        if not o.passed and (o.severity == ERROR or config.send_warn)
    ]


def load_alert_history(data: DataDir) -> pl.DataFrame:
    """Every alert, sent or suppressed, newest first; empty frame with the schema when none."""
    path = alert_history_path(data)
    if not path.is_file():
        return ALERT_SCHEMA.to_frame()
    with closing(sqlite3.connect(path, timeout=30)) as con:
        con.executescript(_DDL)
        rows = con.execute(
            f"select {', '.join(ALERT_SCHEMA.names())} from riwayat_alert order by id desc"
        ).fetchall()
    raw = {n: pl.String for n in ALERT_SCHEMA.names()} | {"id": pl.Int64, "n_failed": pl.Int64}
    frame = pl.DataFrame(rows, schema=raw, orient="row")
    return frame.with_columns(
        pl.col("dibuat").str.to_datetime(time_zone="UTC", time_unit="us")
    ).cast(dict(ALERT_SCHEMA))
