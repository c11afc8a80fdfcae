"""networks.json: the report as data, and its JSON Schema (shipped as package data)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from cib.errors import SchemaError
from cib.report.model import ReportLike, as_report

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


#: ``write_report`` checks this many items of every list (every network, the first members,
#: edges, posts...): each kind of item is built by one code path, and a full check of a
#: 40 MB report takes longer than building it. ``validate_report(report)`` checks all.
VALIDATE_ITEMS = 50


def _sample(node: Any, k: int) -> Any:
    """``node`` with every list cut to its first ``k`` items, except the list of networks."""
    if isinstance(node, dict):
        return {
            key: [_sample(v, k) for v in val]
            if key == "networks" and isinstance(val, list)
            else _sample(val, k)
            for key, val in node.items()
        }
    if isinstance(node, list):
        return [_sample(v, k) for v in node[:k]]
    return node


def validate_report(report: Any, *, items: int | None = None) -> None:
    """Check ``report`` against networks.schema.json; with ``items``, only the first
    ``items`` entries of each list inside a network (all networks are checked).

    Raises :class:`cib.errors.SchemaError` naming the JSON path of the first problem (in
    document order), e.g. ``networks.json is invalid at $.networks[0].score: 1.5 is greater
    than the maximum of 1``.
    """
    if items is not None:
        report = _sample(report, items)
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


def _layout(report: dict[str, Any], ascii_only: bool) -> str:
    """The report with its top level indented and one network per line (the C encoder
    writes a line at a time; an indented 40 MB document takes the pure-Python one)."""

    def dump(x: Any, indent: int | None = None) -> str:
        return json.dumps(x, ensure_ascii=ascii_only, indent=indent, allow_nan=False)

    parts = []
    for key, val in report.items():
        if key == "networks" and isinstance(val, list):
            body = ",\n  ".join(dump(n) for n in val)
            parts.append(f"{dump(key)}: [\n  {body}\n ]" if val else f"{dump(key)}: []")
        else:
            parts.append(f"{dump(key)}: " + dump(val, 1).replace("\n", "\n "))
    return "{\n " + ",\n ".join(parts) + "\n}"


def render_json(report: ReportLike) -> str:
    """networks.json text (:meth:`Report.to_dict`): the report's top level indented, one
    network per line, UTF-8 where the text allows."""
    doc = as_report(report).to_dict()
    try:
        text = _layout(doc, ascii_only=False)
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be written as UTF-8; \u escapes keep the data exact.
        text = _layout(doc, ascii_only=True)
    except ValueError as exc:
        raise SchemaError(f"networks.json cannot hold NaN or infinity: {exc}.") from exc
    return text + "\n"
