"""Local DynamoDB fixtures for the gate's functional tests."""

from tests.support.dynamo import (  # noqa: F401
    any_table,
    ddblocal_client,
    ddblocal_endpoint,
    ddblocal_table,
    fake_aws_env,
    moto_client,
    moto_endpoint,
    moto_table,
)
