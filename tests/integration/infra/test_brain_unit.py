"""The brain's systemd unit (`infra/edgegate-brain.service`) as systemd itself judges it.

`systemd-analyze verify` must accept it and `systemd-analyze security` must score it 3.0
or lower ("OK"), with `ExecStart` pointed at this checkout's virtualenv so that the
check does not depend on /opt/edgegate existing. `make test` installs systemd-analyze
(Debian's `systemd` package) when it is missing; only without it is this skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
UNIT = ROOT / "infra" / "edgegate-brain.service"
DEPLOYED_EXEC = "/opt/edgegate/.venv/bin/edgegate"
MAX_EXPOSURE = 3.0
_SCORE = re.compile(r"Overall exposure level for \S+: ([0-9.]+)")


def _analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.skip("systemd-analyze is not installed (Debian: apt-get install systemd)")
    return found


def _unit_at_checkout(tmp_path: Path) -> Path:
    text = UNIT.read_text()
    assert f"ExecStart={DEPLOYED_EXEC} " in text
    local = tmp_path / UNIT.name
    local.write_text(text.replace(DEPLOYED_EXEC, str(ROOT / ".venv" / "bin" / "edgegate")))
    return local


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


def test_brain_unit_when_verified_then_systemd_reports_nothing(tmp_path: Path) -> None:
    analyze = _analyze()
    done = _run(analyze, "verify", str(_unit_at_checkout(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
    assert done.stderr.strip() == ""


def test_brain_unit_when_security_analysed_then_exposure_at_most_3(tmp_path: Path) -> None:
    analyze = _analyze()
    done = _run(analyze, "security", "--offline=true", str(_unit_at_checkout(tmp_path)))
    assert done.returncode == 0, done.stderr
    found = _SCORE.search(done.stdout)
    assert found is not None, done.stdout
    assert float(found.group(1)) <= MAX_EXPOSURE, done.stdout


def test_brain_unit_when_read_then_runs_unprivileged_with_no_capabilities() -> None:
    settings = dict(
        line.split("=", 1) for line in UNIT.read_text().splitlines() if re.match(r"^\w+=", line)
    )
    assert settings["User"] == "edgegate"
    assert settings["CapabilityBoundingSet"] == ""
    assert settings["NoNewPrivileges"] == "true"
    assert settings["EnvironmentFile"] == "/etc/edgegate/brain.env"
