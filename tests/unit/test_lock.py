"""The committed lock is the one truth about what is installed, tested and shipped.

`uv.lock` pins every package (runtime and dev, transitive, with hashes); pyproject.toml keeps
the supported ranges. These tests fail when the two disagree, when the Lambda requirement
files drift from the lock, and when the environment the tests run in is not the lock.
They run uv offline, from its cache: nothing here reaches a registry.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCK = tomllib.loads((ROOT / "uv.lock").read_text())
EXPORTS = {
    "lambda": ROOT / "infra" / "lambda-requirements.txt",
    "lambda-runtime": ROOT / "infra" / "lambda-runtime-requirements.txt",
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def _uv() -> str:
    found = ROOT / ".uv" / "bin" / "uv"
    if found.exists():
        return str(found)
    on_path = shutil.which("uv")
    if on_path:
        return on_path
    if os.environ.get("CI"):
        pytest.fail(
            "uv is missing: `make test` installs it into .uv/ from tools/uv-requirements.txt"
        )
    pytest.skip("no uv: run `make test` (it installs uv into .uv/)")


def _run_uv(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_OFFLINE": "1"}
    return subprocess.run(
        [_uv(), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _name(requirement: str) -> str:
    match = _NAME.match(requirement.strip())
    assert match, requirement
    return match.group(0).lower().replace("_", "-")


def _pins(text: str) -> dict[str, str]:
    """`name==version` lines of a requirements file (hash and comment lines skipped)."""
    pins = {}
    for line in text.splitlines():
        if "==" in line and not line.lstrip().startswith(("#", "--")):
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.split()[0].rstrip("\\").split(";")[0]
    return pins


def _locked_versions() -> dict[str, str]:
    return {pkg["name"]: pkg["version"] for pkg in LOCK["package"] if "version" in pkg}


def test_lock_when_checked_against_pyproject_then_up_to_date() -> None:
    result = _run_uv("lock", "--check", "--python", sys.executable)
    assert result.returncode == 0, (
        "uv.lock does not match pyproject.toml: run `make lock` and commit uv.lock\n"
        + result.stderr
    )


def test_lock_when_read_then_every_registry_package_is_pinned_with_hashes() -> None:
    registry = [pkg for pkg in LOCK["package"] if "registry" in pkg.get("source", {})]
    assert len(registry) > 50
    for pkg in registry:
        artifacts = [*pkg.get("wheels", []), *([pkg["sdist"]] if "sdist" in pkg else [])]
        assert artifacts, pkg["name"]
        assert all(a["hash"].startswith("sha256:") for a in artifacts), pkg["name"]


def test_environment_when_compared_to_lock_then_equal_package_for_package() -> None:
    result = _run_uv("sync", "--locked", "--check", "--python", sys.executable)
    assert result.returncode == 0, f"the environment is not the lock: {result.stderr}"


@pytest.mark.parametrize("group", sorted(EXPORTS))
def test_exported_requirements_when_compared_to_lock_then_identical(group: str) -> None:
    result = _run_uv(
        "export", "--frozen", "--only-group", group, "--no-emit-project", "--no-header", "-q"
    )
    assert result.returncode == 0, result.stderr
    committed = EXPORTS[group].read_text()
    body = "".join(line for line in committed.splitlines(True) if not line.startswith("# "))
    assert body == result.stdout, f"{EXPORTS[group].name} drifted from uv.lock: run `make lock`"
    pins = _pins(committed)
    assert pins
    locked = _locked_versions()
    assert all(locked[name] == version for name, version in pins.items())
    assert committed.count("--hash=sha256:") >= len(pins)


def test_lambda_group_when_compared_to_project_then_same_requirements() -> None:
    project = {_name(r): r for r in PYPROJECT["project"]["dependencies"]}
    for group in EXPORTS:
        for requirement in PYPROJECT["dependency-groups"][group]:
            assert project.get(_name(requirement)) == requirement, (
                f"dependency-groups.{group}: {requirement!r} must equal the [project] dependency"
            )


def test_lambda_requirements_when_listed_then_the_gates_dependencies_and_theirs_only() -> None:
    pins = _pins(EXPORTS["lambda"].read_text())
    assert {"httpx", "msgspec", "tenacity", "tzdata"} <= set(pins)
    assert not {"boto3", "botocore", "anthropic", "aiohttp", "websockets"} & set(pins)
    assert {"boto3", "botocore"} <= set(_pins(EXPORTS["lambda-runtime"].read_text()))
