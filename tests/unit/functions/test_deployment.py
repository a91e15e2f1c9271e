"""serverless.yml and infra/tables.yml agree with the code: routes, handlers, tables, IAM."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from functions.routes import ROUTES, SCHEDULES
from gatekeeper.tables import TTL_ATTRIBUTE, table_definition
from tests.support.serverless import load_serverless, role_statements

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def serverless() -> dict[str, Any]:
    return load_serverless()


@pytest.fixture(scope="module")
def tables() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "infra/tables.yml").read_text())
    return loaded["Resources"]


def _http_routes(serverless: dict[str, Any]) -> set[tuple[str, str, str]]:
    found = set()
    for name, spec in serverless["functions"].items():
        for event in spec.get("events", []):
            if "httpApi" in event:
                api = event["httpApi"]
                found.add((api["method"], api["path"], name))
    return found


def test_serverless_routes_when_compared_with_route_table_then_identical(
    serverless: dict[str, Any],
) -> None:
    expected = {(r.method, r.path, r.function) for r in ROUTES}
    assert _http_routes(serverless) == expected


def test_serverless_handlers_when_imported_then_each_has_a_handler(
    serverless: dict[str, Any],
) -> None:
    modules = {r.function: r.module for r in ROUTES} | SCHEDULES
    for name, spec in serverless["functions"].items():
        module_path, _, attr = spec["handler"].rpartition(".")
        module = importlib.import_module(module_path.replace("/", "."))
        assert callable(getattr(module, attr)), name
        assert module.__name__ == modules[name]


def test_serverless_roles_when_read_then_one_per_function_and_gate_table_only(
    serverless: dict[str, Any],
) -> None:
    roles = [spec["role"] for spec in serverless["functions"].values()]
    assert len(set(roles)) == len(roles)
    for function in serverless["functions"]:
        statements = role_statements(serverless, function)
        text = repr(statements)
        assert "SessionsTable" not in text
        assert "*" not in [s.get("Resource") for s in statements]
        for statement in statements:
            for action in statement["Action"]:
                assert action != "dynamodb:TransactWriteItems"
                assert not action.endswith("*"), action


def test_serverless_package_when_patterns_read_then_brain_tests_sim_excluded(
    serverless: dict[str, Any],
) -> None:
    patterns = serverless["package"]["patterns"]
    for excluded in ("!brain/**", "!tests/**", "!tradier/sim/**", "!node_modules/**", "!.venv/**"):
        assert excluded in patterns
    assert "serverless-offline" in serverless["plugins"]
    assert "serverless-offline" in serverless["custom"]


@pytest.mark.parametrize("logical_id", ["GateTable", "SessionsTable"])
def test_tables_yml_when_compared_with_python_schema_then_same_keys_and_index(
    tables: dict[str, Any], logical_id: str
) -> None:
    props = tables[logical_id]["Properties"]
    expected = table_definition(props["TableName"])
    assert props["BillingMode"] == expected["BillingMode"]
    assert props["KeySchema"] == expected["KeySchema"]
    assert sorted(props["AttributeDefinitions"], key=str) == sorted(
        expected["AttributeDefinitions"], key=str
    )
    assert props["GlobalSecondaryIndexes"] == expected["GlobalSecondaryIndexes"]
    assert props["TimeToLiveSpecification"] == {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}


def test_tables_yml_when_read_then_point_in_time_recovery_on_gate_table(
    tables: dict[str, Any],
) -> None:
    gate = tables["GateTable"]["Properties"]
    assert gate["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


def test_serverless_ssm_parameters_when_function_env_names_one_then_its_role_may_read_it(
    serverless: dict[str, Any],
) -> None:
    provider_env = serverless["provider"]["environment"]
    for name, spec in serverless["functions"].items():
        env = {**provider_env, **spec.get("environment", {})}
        wanted = {v.rsplit("/", 1)[1] for k, v in env.items() if k.endswith("_PARAM")}
        statements = role_statements(serverless, name)
        ssm = next(s for s in statements if s["Action"] == ["ssm:GetParameters"])
        granted = {repr(r).rsplit("/", 1)[1].split("'")[0] for r in ssm["Resource"]}
        assert wanted == granted, name


def test_serverless_alarms_when_read_then_errors_throttles_and_reducing_notify_alerts_topic(
    serverless: dict[str, Any],
) -> None:
    from tests.support.serverless import inline_resources

    resources = inline_resources(serverless)
    alarms = {k: v for k, v in resources.items() if v["Type"] == "AWS::CloudWatch::Alarm"}
    metrics = {a["Properties"].get("MetricName") for a in alarms.values()}
    assert {"Errors", "Throttles", "WatchdogReducing"} <= metrics
    for name, alarm in alarms.items():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlertsTopic"}], name
    assert serverless["provider"]["logRetentionInDays"] == "${param:logRetentionDays}"
    assert serverless["provider"]["versionFunctions"] is True


def test_serverless_local_stage_when_read_then_no_ssm_no_schedule_no_sns(
    serverless: dict[str, Any],
) -> None:
    local = serverless["params"]["local"]
    assert local["secretsSource"] == "environment"
    assert local["schedulesEnabled"] is False
    assert local["alertsTopicArn"] == ""
    assert local["tradierBaseUrl"].startswith("${env:TRADIER_TRADE_BASE_URL")
    env = serverless["provider"]["environment"]
    assert env["EDGEGATE_SECRETS_SOURCE"] == "${param:secretsSource}"
    for spec in serverless["functions"].values():
        for event in spec.get("events", []):
            if "schedule" in event:
                assert event["schedule"]["enabled"] == "${param:schedulesEnabled}"
