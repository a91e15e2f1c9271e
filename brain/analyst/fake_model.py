"""What the fake Messages API computes in the model's place: token counts (~4 bytes a
token, deterministic), the cacheable prefix of a request, and a default answer for the
requested schema (a review verdict chosen by a hash of the request). Pure functions."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any


def tokens_of_text(text: str) -> int:
    """The fake's token count of `text`: one token per started 4 bytes."""
    return math.ceil(len(text.encode("utf-8")) / 4)


def _block_tokens(block: Any) -> int:
    if isinstance(block, str):
        return tokens_of_text(block)
    if not isinstance(block, Mapping):
        return 0
    kind = block.get("type")
    if kind == "text":
        return tokens_of_text(str(block.get("text", "")))
    if kind == "document":
        source = block.get("source", {})
        title = str(block.get("title") or "")
        return tokens_of_text(str(source.get("data", ""))) + tokens_of_text(title) + 4
    return tokens_of_text(json.dumps(block, sort_keys=True))


def _system_blocks(body: Mapping[str, Any]) -> list[Any]:
    system = body.get("system")
    if system is None:
        return []
    return [system] if isinstance(system, str) else list(system)


def prompt_tokens(body: Mapping[str, Any]) -> int:
    """Every input token of a request: system, messages and the output schema."""
    total = 3 + sum(_block_tokens(b) for b in _system_blocks(body))
    for message in body.get("messages", []):
        content = message.get("content", "")
        blocks = [content] if isinstance(content, str) else list(content)
        total += 4 + sum(_block_tokens(b) for b in blocks)
    fmt = (body.get("output_config") or {}).get("format")
    if fmt:
        total += tokens_of_text(json.dumps(fmt, sort_keys=True))
    return total


def cache_prefix(body: Mapping[str, Any]) -> tuple[str, int, str] | None:
    """(key, tokens, ttl) of the system blocks up to the last cache_control mark."""
    blocks = _system_blocks(body)
    marked = [i for i, b in enumerate(blocks) if isinstance(b, Mapping) and b.get("cache_control")]
    if not marked:
        return None
    prefix = blocks[: marked[-1] + 1]
    ttl = str(prefix[-1]["cache_control"].get("ttl", "5m"))
    canonical = json.dumps([body.get("model"), prefix], sort_keys=True)
    key = hashlib.sha256(canonical.encode()).hexdigest()
    return key, 3 + sum(_block_tokens(b) for b in prefix), ttl


def instance_of(schema: Mapping[str, Any], defs: Mapping[str, Any] | None = None) -> Any:
    """A minimal value that matches a JSON schema (the fake's answer to an unknown one)."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return instance_of(defs[str(schema["$ref"]).rsplit("/", 1)[-1]], defs)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"] or schema["anyOf"]
        return instance_of(options[0], defs)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: instance_of(props[k], defs) for k in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return "fake answer"


def default_answer(body: Mapping[str, Any]) -> str:
    """The unscripted answer: a review verdict by a hash of the request, or any instance
    of the requested schema."""
    fmt = (body.get("output_config") or {}).get("format") or {}
    schema = fmt.get("schema") or {}
    if "verdict" in schema.get("properties", {}):
        last = json.dumps(body.get("messages", [])[-1:], sort_keys=True)
        pick = int(hashlib.sha256(last.encode()).hexdigest(), 16) % 10
        if pick < 6:
            return json.dumps({"verdict": "approve", "rationale": "Fake reviewer: approve."})
        if pick < 8:
            return json.dumps({"verdict": "veto", "rationale": "Fake reviewer: veto."})
        return json.dumps(
            {"verdict": "adjust", "rationale": "Fake reviewer: one unit.", "quantity": 1}
        )
    if schema:
        return json.dumps(instance_of(schema))
    return "Fake Claude answer."
