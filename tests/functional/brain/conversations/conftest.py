"""Local DynamoDB fixtures (moto server, DynamoDB Local) and a store of each backend."""

from __future__ import annotations

import pytest

from brain.conversations.store import MemorySessionStore, SessionStore
from brain.conversations.store_dynamo import DynamoSessionStore
from tests.support import dynamo

fake_aws_env = dynamo.fake_aws_env
moto_endpoint = dynamo.moto_endpoint
moto_client = dynamo.moto_client
moto_table = dynamo.moto_table
ddblocal_process = dynamo.ddblocal_process
ddblocal_endpoint = dynamo.ddblocal_endpoint
ddblocal_client = dynamo.ddblocal_client
ddblocal_table = dynamo.ddblocal_table


@pytest.fixture(params=["memory", "moto", pytest.param("ddblocal", marks=pytest.mark.ddblocal)])
def store(request: pytest.FixtureRequest) -> SessionStore:
    """A fresh sessions store on each backend in turn (the conformance suite's subject)."""
    if request.param == "memory":
        return MemorySessionStore()
    client, table = request.getfixturevalue(f"{request.param}_table")
    return DynamoSessionStore(client, table)
