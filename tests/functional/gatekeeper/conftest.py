"""Local DynamoDB and simulator fixtures for the gate's functional tests."""

from __future__ import annotations

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
client = gate_harness.client
