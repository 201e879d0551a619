"""Lifecycle edges finance and audit care about.

``orchestration.periods``: VERIFIED means someone checked *these* published files (their
fingerprint is recorded), and lock refuses files that changed since. What is published (the
manifest: the app's status, the payment list's heading "Status data: ...") must not call files
nobody checked TERVERIFIKASI "oleh <analyst>".
"""

from __future__ import annotations

import pytest
from test_publish_support import ANA, build_warehouse, change, published, scenario

from orchestration import lifecycle
from orchestration.core.paths import DataDir
from orchestration.core.published import current_snapshot
from orchestration.nominatif.columns import heading_lines
from orchestration.nominatif.daftar import assemble
from orchestration.periods import DRAFT, LOCKED, VERIFIED, PeriodeError
from orchestration.publish import publish

PERIODS = ["2025-02", "2025-03"]


@pytest.fixture
def data(tmp_path) -> DataDir:
    return published(DataDir(tmp_path / "data"), PERIODS)


def test_a_verification_is_not_shown_for_files_that_changed_after_it(data):
    lifecycle.verify(data, "2025-03", "Budi")
    publish(data, PERIODS)  # recomputed, same bytes: still the verified files
    assert current_snapshot(data).status("2025-03") == VERIFIED

    corrected = scenario(*PERIODS)
    corrected["2025-03"] = change(corrected["2025-03"], ANA.nip, tk=2)
    build_warehouse(data, corrected)
    publish(data, PERIODS)
    snapshot = current_snapshot(data)
    assert snapshot.status("2025-03") == DRAFT
    heading = heading_lines(assemble(snapshot, "2025-03")[0])[-1]
    assert "TERVERIFIKASI" not in heading and "Budi" not in heading
    assert heading.startswith("Status data: DRAF")
    with pytest.raises(PeriodeError, match="berubah sejak diverifikasi"):
        lifecycle.lock(data, "2025-03", "Maria")

    lifecycle.verify(data, "2025-03", "Yosef")  # checked again: shown, and lockable
    assert current_snapshot(data).period("2025-03")["oleh"] == "Yosef"
    assert current_snapshot(data).status("2025-03") == VERIFIED
    lifecycle.lock(data, "2025-03", "Maria")
    assert current_snapshot(data).status("2025-03") == LOCKED
