"""serverless.yml as data, for the tests that check it against the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]


def load_serverless() -> dict[str, Any]:
    """serverless.yml parsed (framework variables left as text)."""
    loaded: dict[str, Any] = yaml.safe_load((REPO / "serverless.yml").read_text())
    return loaded


def inline_resources(serverless: dict[str, Any]) -> dict[str, Any]:
    """The CloudFormation resources written inline in serverless.yml (not from files)."""
    found: dict[str, Any] = {}
    for entry in serverless["resources"]:
        if isinstance(entry, dict):
            found.update(entry.get("Resources", {}))
    return found


def role_statements(serverless: dict[str, Any], function: str) -> list[dict[str, Any]]:
    """The policy statements of a function's own role."""
    role = inline_resources(serverless)[serverless["functions"][function]["role"]]
    statements: list[dict[str, Any]] = role["Properties"]["Policies"][0]["PolicyDocument"][
        "Statement"
    ]
    return statements
