"""Data-quality settings: ``quality/config.toml`` (or ``$KINERJA_QUALITY_CONFIG``), then env vars.

Environment variables win over the file, so a deployment configures alert channels and
thresholds without editing the repository. Secrets (SMTP password) come from the environment
only.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = Path(__file__).with_name("config.toml")


def _truthy(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "ya", "yes", "on")


def load_file(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    env = os.environ if env is None else env
    path = Path(env.get("KINERJA_QUALITY_CONFIG") or DEFAULT_CONFIG)
    if not path.is_file():
        raise FileNotFoundError(f"Berkas konfigurasi mutu data {path} tidak ada.")
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def _pick(env: Mapping[str, str], name: str, file_value: Any, cast=str) -> Any:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return file_value
    if cast is bool:
        return _truthy(raw)
    return cast(raw)


@dataclass(frozen=True)
class DriftThresholds:
    """Month-over-month change per department beyond which a WARN is raised."""

    jumlah_pegawai_persen: float = 10.0
    total_tpp_persen: float = 20.0
    tingkat_tk_pp: float = 5.0
    min_pegawai_opd: int = 20

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None) -> DriftThresholds:
        env = os.environ if env is None else env
        d = load_file(env).get("drift", {})
        return cls(
            jumlah_pegawai_persen=_pick(
                env,
                "KINERJA_DRIFT_PEGAWAI_PERSEN",
                float(d.get("jumlah_pegawai_persen", 10.0)),
                float,
            ),
            total_tpp_persen=_pick(
                env, "KINERJA_DRIFT_TPP_PERSEN", float(d.get("total_tpp_persen", 20.0)), float
            ),
            tingkat_tk_pp=_pick(
                env, "KINERJA_DRIFT_TK_PP", float(d.get("tingkat_tk_pp", 5.0)), float
            ),
            min_pegawai_opd=_pick(
                env, "KINERJA_DRIFT_MIN_PEGAWAI", int(d.get("min_pegawai_opd", 20)), int
            ),
        )


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    timeout: float = 10.0


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 25
    sender: str = "si-kinerja@localhost"
    recipients: tuple[str, ...] = ()
    user: str = ""
    password: str = ""
    starttls: bool = False
    ssl: bool = False
    timeout: float = 10.0


@dataclass(frozen=True)
class AlertConfig:
    webhook: WebhookConfig | None = None
    smtp: SmtpConfig | None = None
    app_url: str = ""
    realert_hours: float = 0.0  # 0 = the same failure never pages twice
    send_warn: bool = True

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(n for n, c in (("webhook", self.webhook), ("email", self.smtp)) if c)

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None) -> AlertConfig:
        env = os.environ if env is None else env
        a = load_file(env).get("alert", {})
        w, s = a.get("webhook", {}), a.get("smtp", {})
        url = _pick(env, "KINERJA_ALERT_WEBHOOK", w.get("url", ""))
        webhook = None
        if url:
            timeout = _pick(
                env, "KINERJA_ALERT_WEBHOOK_TIMEOUT", float(w.get("timeout_detik", 10)), float
            )
            webhook = WebhookConfig(url=url, timeout=timeout)
        host = _pick(env, "KINERJA_SMTP_HOST", s.get("host", ""))
        to = env.get("KINERJA_SMTP_TO")
        recipients = (
            tuple(x.strip() for x in to.split(",") if x.strip()) if to else tuple(s.get("ke", []))
        )
        smtp = None
        if host and recipients:
            smtp = SmtpConfig(
                host=host,
                port=_pick(env, "KINERJA_SMTP_PORT", int(s.get("port", 25)), int),
                sender=_pick(env, "KINERJA_SMTP_FROM", s.get("dari", "si-kinerja@localhost")),
                recipients=recipients,
                user=_pick(env, "KINERJA_SMTP_USER", s.get("pengguna", "")),
                password=env.get("KINERJA_SMTP_PASSWORD", ""),
                starttls=_pick(env, "KINERJA_SMTP_STARTTLS", bool(s.get("starttls", False)), bool),
                ssl=_pick(env, "KINERJA_SMTP_SSL", bool(s.get("ssl", False)), bool),
                timeout=_pick(
                    env, "KINERJA_SMTP_TIMEOUT", float(s.get("timeout_detik", 10)), float
                ),
            )
        return cls(
            webhook=webhook,
            smtp=smtp,
            app_url=_pick(env, "KINERJA_APP_URL", a.get("app_url", "")).rstrip("/"),
            realert_hours=_pick(
                env, "KINERJA_ALERT_ULANG_JAM", float(a.get("ulang_setelah_jam", 0)), float
            ),
            send_warn=_pick(env, "KINERJA_ALERT_WARN", bool(a.get("kirim_warn", True)), bool),
        )
