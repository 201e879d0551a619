"""Alerts through a real local webhook and a real local SMTP server (127.0.0.1 only)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket

import pytest

from orchestration.core.paths import DataDir
from quality.alerts import (
    DITEKAN,
    GAGAL,
    SEBAGIAN,
    TANPA_KANAL,
    TERKIRIM,
    Alert,
    alert_from_outcome,
    load_alert_history,
    send_alert,
    send_outcome_alerts,
)
from quality.config import AlertConfig, SmtpConfig, WebhookConfig
from quality.outcome import ERROR, WARN, CheckOutcome
from tests.support.capture import smtp_server, webhook_server


@pytest.fixture
def data(tmp_path) -> DataDir:
    return DataDir.resolve(tmp_path / "data")


@pytest.fixture
def hook():
    server = webhook_server()
    yield server
    server.close()


@pytest.fixture
def smtp():
    server = smtp_server()
    yield server
    server.close()


def _outcome(n: int = 3, nips: tuple[str, ...] = ("199008152016011005",)) -> CheckOutcome:
    return CheckOutcome(
        check="bruto_tidak_melebihi_basis",
        asset="tpp_bulanan",
        severity=ERROR,
        periode="2025-03",
        passed=False,
        n_failed=n,
        description=f"{n} baris tpp_bulanan periode 2025-03 punya TPP bruto melebihi basis.",
        details={
            "contoh": [
                {
                    "nip": nip,
                    "kode_opd": "1.02.01",
                    "source_file": "pegawai_202503.csv",
                    "line_no": 17,
                }
                for nip in nips
            ]
        },
        kode_opd=("1.02.01",),
        fingerprint="-".join(nips) + f"/{n}",
    )


def _config(hook=None, smtp=None, **kw) -> AlertConfig:
    return AlertConfig(
        webhook=WebhookConfig(url=f"http://127.0.0.1:{hook.port}/hooks/kinerja") if hook else None,
        smtp=SmtpConfig(
            host="127.0.0.1",
            port=smtp.port,
            sender="si-kinerja@ntt.test",
            recipients=("keuangan@ntt.test", "bkd@ntt.test"),
        )
        if smtp
        else None,
        **kw,
    )


def test_webhook_and_email_receive_one_message_and_a_repeat_is_deduplicated(data, hook, smtp):
    config = _config(hook, smtp, app_url="http://kinerja.ntt.test")
    alert = alert_from_outcome(_outcome(), run_id="run-1")
    record = send_alert(alert, data, config)
    assert record.status == TERKIRIM and record.channels == ("webhook", "email")

    assert len(hook.received) == 1
    got = hook.received[0]
    assert got["path"] == "/hooks/kinerja"
    assert got["headers"]["Content-Type"].startswith("application/json")
    body = got["json"]
    assert body["periode"] == "2025-03" and body["jumlah_gagal"] == 3
    assert body["cek"] == "bruto_tidak_melebihi_basis" and body["aset"] == "tpp_bulanan"
    assert body["kode_opd"] == ["1.02.01"] and body["tingkat"] == ERROR
    for part in (
        "2025-03",
        "bruto_tidak_melebihi_basis",
        "OPD: 1.02.01",
        "Jumlah baris bermasalah: 3",
        "pegawai_202503.csv baris 17",
        "http://kinerja.ntt.test/?periode=2025-03",
    ):
        assert part in body["text"], part

    assert len(smtp.received) == 1
    mail = smtp.received[0]
    assert mail["from"] == "si-kinerja@ntt.test"
    assert mail["to"] == ["keuangan@ntt.test", "bkd@ntt.test"]
    message = email.message_from_bytes(mail["data"], policy=email.policy.default)
    assert "bruto_tidak_melebihi_basis" in message["Subject"] and "2025-03" in message["Subject"]
    text = message.get_content()
    assert "Jumlah baris bermasalah: 3" in text and "OPD: 1.02.01" in text

    # the same failure again (another run, same rows): nothing new is sent, but it is recorded
    again = send_alert(alert_from_outcome(_outcome(), run_id="run-2"), data, config)
    assert again.status == DITEKAN and again.channels == ()
    assert len(hook.received) == 1 and len(smtp.received) == 1

    # a different failure of the same check and period pages again
    other = send_alert(alert_from_outcome(_outcome(n=4), run_id="run-3"), data, config)
    assert other.status == TERKIRIM and len(hook.received) == 2 and len(smtp.received) == 2

    history = load_alert_history(data)
    assert history["status"].to_list() == [TERKIRIM, DITEKAN, TERKIRIM]  # newest first
    assert history["run_id"].to_list() == ["run-3", "run-2", "run-1"]
    assert history["n_failed"].to_list() == [4, 3, 3]
    assert str(history.schema["dibuat"]).startswith("Datetime")


def test_realert_window_lets_the_same_failure_page_again_later(data, hook):
    config = _config(hook, realert_hours=24)
    t0 = dt.datetime(2025, 4, 6, 2, 0, tzinfo=dt.UTC)
    alert = alert_from_outcome(_outcome())
    assert send_alert(alert, data, config, now=t0).status == TERKIRIM
    assert send_alert(alert, data, config, now=t0 + dt.timedelta(hours=23)).status == DITEKAN
    assert send_alert(alert, data, config, now=t0 + dt.timedelta(hours=25)).status == TERKIRIM
    assert len(hook.received) == 2


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_failing_channel_is_recorded_and_retried(data, hook):
    dead = AlertConfig(webhook=WebhookConfig(url=f"http://127.0.0.1:{_closed_port()}/", timeout=2))
    alert = alert_from_outcome(_outcome())
    failed = send_alert(alert, data, dead)
    assert failed.status == GAGAL and "webhook" in failed.errors[0]
    # a failed delivery does not count as sent: the next attempt (channel back) goes out
    assert send_alert(alert, data, _config(hook)).status == TERKIRIM
    assert len(hook.received) == 1
    # one channel down, one up: partly delivered, and that counts as sent
    mixed = AlertConfig(
        webhook=WebhookConfig(url=f"http://127.0.0.1:{hook.port}/"),
        smtp=SmtpConfig(
            host="127.0.0.1", port=_closed_port(), recipients=("a@ntt.test",), timeout=2
        ),
    )
    other = alert_from_outcome(_outcome(nips=("199703122023022001",)))
    assert send_alert(other, data, mixed).status == SEBAGIAN
    assert send_alert(other, data, _config(hook)).status == DITEKAN


def test_without_channels_alerts_are_only_recorded_once(data):
    alert = alert_from_outcome(_outcome())
    assert send_alert(alert, data, AlertConfig()).status == TANPA_KANAL
    assert send_alert(alert, data, AlertConfig()).status == DITEKAN
    assert load_alert_history(data).height == 2


def test_outcome_alerts_skip_passed_and_optionally_warn(data, hook):
    warn = CheckOutcome(
        "drift_total_tpp",
        "tpp_bulanan",
        WARN,
        "2025-03",
        False,
        1,
        "1 OPD berubah total TPP.",
        {},
        ("1.03.01",),
        "fp-warn",
    )
    ok = CheckOutcome("bruto_tidak_melebihi_basis", "tpp_bulanan", ERROR, "2025-03", True, 0, "ok")
    records = send_outcome_alerts([warn, ok, _outcome()], data, _config(hook, send_warn=False))
    assert [r.alert.check_name for r in records] == ["bruto_tidak_melebihi_basis"]
    records = send_outcome_alerts([warn], data, _config(hook, send_warn=True))
    assert [r.status for r in records] == [TERKIRIM]
    assert hook.received[-1]["json"]["tingkat"] == WARN


def test_run_failure_alert_text():
    alert = Alert(
        severity=ERROR,
        what="Langkah raw__absensi gagal: File absensi tidak ada.",
        periode="2025-03",
        run_id="abc",
        job="tpp_bulanan",
        fingerprint="x",
    )
    assert alert.title == "[Si-Kinerja] ERROR: run tpp_bulanan gagal periode 2025-03"
    assert "run abc" in alert.text and "File absensi tidak ada" in alert.text
    assert alert.dedup_key != Alert(**{**alert.__dict__, "periode": "2025-04"}).dedup_key


def test_alert_config_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("KINERJA_ALERT_WEBHOOK", "http://127.0.0.1:9/hook")
    monkeypatch.setenv("KINERJA_SMTP_HOST", "smtp.ntt.test")
    monkeypatch.setenv("KINERJA_SMTP_PORT", "587")
    monkeypatch.setenv("KINERJA_SMTP_TO", "a@ntt.test, b@ntt.test")
    monkeypatch.setenv("KINERJA_SMTP_STARTTLS", "1")
    monkeypatch.setenv("KINERJA_SMTP_PASSWORD", "rahasia")
    monkeypatch.setenv("KINERJA_ALERT_ULANG_JAM", "12")
    config = AlertConfig.load()
    assert config.webhook.url == "http://127.0.0.1:9/hook"
    assert config.smtp.host == "smtp.ntt.test" and config.smtp.port == 587
    assert config.smtp.recipients == ("a@ntt.test", "b@ntt.test")
    assert config.smtp.starttls is True and config.smtp.password == "rahasia"
    assert config.realert_hours == 12 and config.channels == ("webhook", "email")
    # a config file of its own, env still wins
    path = tmp_path / "mutu.toml"
    path.write_text('[alert]\napp_url = "http://app/"\n[alert.smtp]\nhost = "x"\nke = ["c@d"]\n')
    monkeypatch.setenv("KINERJA_QUALITY_CONFIG", str(path))
    monkeypatch.delenv("KINERJA_SMTP_TO")
    config = AlertConfig.load()
    assert config.app_url == "http://app" and config.smtp.recipients == ("c@d",)
    assert config.smtp.host == "smtp.ntt.test"
