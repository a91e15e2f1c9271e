"""`osls package` refuses to build a gate without its vendored dependencies.

The check is a local Serverless plugin (`tools/serverless/vendor-check.js`) run by the real
framework on the real serverless.yml, in a copy of the service that has no (or a stale)
build/vendor: the command must fail naming `make package` and leave no artefact.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
OSLS = ROOT / "node_modules" / ".bin" / "osls"


def _service_copy(tmp_path: Path) -> Path:
    if not OSLS.exists():
        pytest.skip("no npm toolchain: `make node_modules/.installed`")
    service = tmp_path / "service"
    (service / "infra").mkdir(parents=True)
    shutil.copy(ROOT / "serverless.yml", service)
    for name in ("tables.yml", "lambda-requirements.txt"):
        shutil.copy(ROOT / "infra" / name, service / "infra")
    shutil.copytree(ROOT / "tools" / "serverless", service / "tools" / "serverless")
    (service / "node_modules").symlink_to(ROOT / "node_modules")
    return service


def _package(service: Path, stage: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(service), "SLS_TELEMETRY_DISABLED": "1"}
    return subprocess.run(
        [str(OSLS), "package", "--stage", stage],
        cwd=service,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_osls_package_when_nothing_vendored_then_fails_naming_make_package(
    tmp_path: Path,
) -> None:
    service = _service_copy(tmp_path)
    done = _package(service, "dev")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "make package STAGE=dev" in output
    assert not (service / ".serverless" / "edgegate-gate.zip").exists()


def test_osls_package_when_vendor_built_from_older_requirements_then_fails(
    tmp_path: Path,
) -> None:
    service = _service_copy(tmp_path)
    vendor = service / "build" / "vendor"
    vendor.mkdir(parents=True)
    (vendor / ".installed").write_text("httpx==0.0.1\n")
    done = _package(service, "prod")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "make package STAGE=prod" in output
    assert "lambda-requirements.txt" in output


def test_osls_package_when_stage_is_local_then_refused_as_offline_only(tmp_path: Path) -> None:
    service = _service_copy(tmp_path)
    done = _package(service, "local")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "serverless-offline only" in output
    assert "make package STAGE=dev" in output
