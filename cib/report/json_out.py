"""networks.json: the report as data, and its JSON Schema (shipped as package data)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from cib.errors import SchemaError

SCHEMA_RESOURCE = "networks.schema.json"


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of networks.json, read from the installed package."""
    text = resources.files("cib.report").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    # Inlining the (non-recursive) local $refs makes validation about twice as fast.
    return Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with every ``{"$ref": "#/$defs/x"}`` replaced by the definition itself."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def _json_path(parts: Any) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def validate_report(report: Any) -> None:
    """Check ``report`` against networks.schema.json.

    Raises :class:`cib.errors.SchemaError` naming the JSON path of the first problem (in
    document order), e.g. ``networks.json is invalid at $.networks[0].score: 1.5 is greater
    than the maximum of 1``.
    """
    errors = list(_validator().iter_errors(report))
    if not errors:
        return
    first = min(errors, key=lambda e: [str(p).zfill(12) for p in e.absolute_path])
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    raise SchemaError(
        f"networks.json is invalid at {_json_path(first.absolute_path)}: "
        f"{_short(first.message)}{more}. The report dict must follow "
        f"cib/report/{SCHEMA_RESOURCE}."
    )


def _short(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def render_json(report: dict[str, Any]) -> str:
    """networks.json text: the report dict, indented, UTF-8 where the text allows."""
    try:
        text = json.dumps(report, ensure_ascii=False, indent=1, allow_nan=False)
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be written as UTF-8; \u escapes keep the data exact.
        text = json.dumps(report, ensure_ascii=True, indent=1, allow_nan=False)
    except ValueError as exc:
        raise SchemaError(f"networks.json cannot hold NaN or infinity: {exc}.") from exc
    return text + "\n"
