"""The packaged gate (`npx osls package`, `make package`) as Lambda would run it.

`make test` packages before pytest runs, so in CI the artifact exists; a developer running
pytest alone without it gets a skip naming the command. The runtime check unzips the
artifact and invokes the proposals handler on python3.12 with only boto3 installed, as in
the Lambda runtime: every other dependency must come from the package itself.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ARTIFACT = ROOT / ".serverless" / "edgegate-gate.zip"
PY312 = ROOT / ".venv312" / "bin" / "python"


def _artifact() -> zipfile.ZipFile:
    if not ARTIFACT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{ARTIFACT} is missing: `make test` packages before pytest")
        pytest.skip("no packaged gate: run `make package` first")
    return zipfile.ZipFile(ARTIFACT)


def test_package_when_listed_then_holds_the_gate_and_its_dependencies_only() -> None:
    names = _artifact().namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops <= {"functions", "gatekeeper", "tradier", "infra", "build"}
    assert "functions/proposals.py" in names
    assert "infra/constitution.toml" in names
    assert not [n for n in names if n.startswith(("brain/", "tests/", "tradier/sim/"))]
    assert not [n for n in names if n.startswith("functions/local/")]
    assert "tradier/stream_client.py" not in names  # the brain's; websockets is not vendored
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    for dep in ("httpx", "msgspec", "tenacity", "tzdata"):
        assert f"build/vendor/{dep}/__init__.py" in names, dep
    assert any(re.match(r"build/vendor/msgspec/_core\.cpython-312-x86_64.*\.so$", n) for n in names)


_INVOKE = r"""
import json, sys
root = sys.argv[1]
sys.path.insert(0, root)
import functions.proposals as proposals
event = json.load(open(sys.argv[2]))
response = proposals.handler(event, None)
import msgspec, httpx
print(json.dumps({
    "status": response["statusCode"],
    "body": json.loads(response["body"]),
    "msgspec": msgspec.__file__,
    "httpx": httpx.__file__,
    "python": list(sys.version_info[:2]),
}))
"""


def test_package_when_run_on_python312_then_handler_answers_from_vendored_deps(
    tmp_path: Path,
) -> None:
    artifact = _artifact()
    if not PY312.exists():
        pytest.skip("no python3.12 virtualenv (.venv312): `make .venv312/.installed`")
    task_root = tmp_path / "task"
    artifact.extractall(task_root)
    event = json.loads((ROOT / "tests" / "events" / "proposals_post.json").read_text())
    event["headers"]["x-edgegate-signature"] = "v2=" + "0" * 64  # tampered: 401 before any I/O
    event_file = tmp_path / "event.json"
    event_file.write_text(json.dumps(event))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LAMBDA_TASK_ROOT": str(task_root),
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing-not-real",
        "AWS_SECRET_ACCESS_KEY": "testing-not-real",
        "EDGEGATE_GATE_TABLE": "edgegate-ci-gate",
        "EDGEGATE_CONSTITUTION": "infra/constitution.toml",
        "EDGEGATE_SIGNING_SECRET": "test-signing-secret-" + "x" * 20,
        "EDGEGATE_ADMIN_SECRET": "test-admin-secret-" + "x" * 20,
        "TRADIER_TRADE_BASE_URL": "https://sandbox.tradier.com/v1",
        "TRADIER_TRADE_TOKEN": "test-token-not-real",
        "TRADIER_ACCOUNT_ID": "VA00000000",
        "EDGEGATE_DYNAMODB_ENDPOINT": "http://127.0.0.1:9",  # never reached: 401 comes first
    }
    done = subprocess.run(
        [str(PY312), "-I", "-c", _INVOKE, str(task_root), str(event_file)],
        cwd=task_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["python"] == [3, 12]
    assert result["status"] == 401
    assert result["body"]["error"]["code"]
    vendor = str(task_root / "build" / "vendor")
    assert result["msgspec"].startswith(vendor)
    assert result["httpx"].startswith(vendor)


_IMPORT_ALL = r"""
import importlib, json, pathlib, sys
root = pathlib.Path(sys.argv[1])
sys.path.insert(0, str(root))
import functions  # puts build/vendor on sys.path, as in Lambda
modules = sorted(
    ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
    for top in ("functions", "gatekeeper", "tradier")
    for path in (root / top).rglob("*.py")
)
failed = {}
for name in modules:
    try:
        importlib.import_module(name)
    except Exception as exc:  # every failure is reported, not only the first
        failed[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps({"modules": modules, "failed": failed, "python": list(sys.version_info[:2])}))
"""


def test_package_when_every_module_imported_on_python312_then_none_fails(
    tmp_path: Path,
) -> None:
    artifact = _artifact()
    if not PY312.exists():
        pytest.skip("no python3.12 virtualenv (.venv312): `make .venv312/.installed`")
    task_root = tmp_path / "task"
    artifact.extractall(task_root)
    done = subprocess.run(
        [str(PY312), "-I", "-c", _IMPORT_ALL, str(task_root)],
        cwd=task_root,
        env={"PATH": os.environ.get("PATH", ""), "LAMBDA_TASK_ROOT": str(task_root)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["python"] == [3, 12]
    assert result["failed"] == {}
    assert "functions.proposals" in result["modules"]
    assert "gatekeeper.service" in result["modules"]
    assert not [m for m in result["modules"] if m.startswith(("tradier.sim", "functions.local"))]
