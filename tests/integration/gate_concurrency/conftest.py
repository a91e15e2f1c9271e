"""Many gates (one per thread, like Lambda containers) sharing one local DynamoDB table."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import dynamo, gate_harness

fake_aws_env = dynamo.fake_aws_env
moto_endpoint = dynamo.moto_endpoint
moto_client = dynamo.moto_client
moto_table = dynamo.moto_table
ddblocal_process = dynamo.ddblocal_process
ddblocal_endpoint = dynamo.ddblocal_endpoint
ddblocal_client = dynamo.ddblocal_client
ddblocal_table = dynamo.ddblocal_table
any_table = dynamo.any_table
sim_clock = gate_harness.sim_clock
sim = gate_harness.sim
clock = gate_harness.clock
HERE = Path(__file__).parent


@pytest.fixture(scope="session", autouse=True)
def boot_ddblocal_early(ddblocal_process: dynamo.DynamoDBLocal | None) -> None:
    """Start the JVM first thing, so it boots while the moto runs go."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Within this folder, run every moto case before the DynamoDB Local ones."""
    slots = [i for i, item in enumerate(items) if Path(item.path).parent == HERE]
    ordered = sorted((items[i] for i in slots), key=lambda item: "[ddblocal" in item.name)
    for slot, item in zip(slots, ordered, strict=True):
        items[slot] = item
