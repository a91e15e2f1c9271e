"""Local DynamoDB fixtures (moto server, DynamoDB Local) for the spend store tests."""

from __future__ import annotations

from tests.support import dynamo

fake_aws_env = dynamo.fake_aws_env
moto_endpoint = dynamo.moto_endpoint
moto_client = dynamo.moto_client
moto_table = dynamo.moto_table
ddblocal_process = dynamo.ddblocal_process
ddblocal_endpoint = dynamo.ddblocal_endpoint
ddblocal_client = dynamo.ddblocal_client
ddblocal_table = dynamo.ddblocal_table
