"""Generate the JSON Schema of the rubric format from the model (never written by hand)."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import typing
from decimal import Decimal
from typing import Any, Literal

from scoring_py import model
from scoring_py.codec import is_optional, type_hints

SCHEMA_ID = "rubric.schema.json"


def field_docs(cls: type) -> dict[str, str]:
    """Read the attribute docstrings of a dataclass (the string after each field)."""
    tree = ast.parse(inspect.getsource(model))
    docs: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            body = node.body
            for stmt, following in itertools.pairwise(body):
                if (
                    isinstance(stmt, ast.AnnAssign)
                    and isinstance(stmt.target, ast.Name)
                    and isinstance(following, ast.Expr)
                    and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)
                ):
                    docs[stmt.target.id] = inspect.cleandoc(following.value.value)
    return docs


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    optional, inner = is_optional(tp)
    if optional:
        return {"anyOf": [_type_schema(inner, defs), {"type": "null"}]}
    if dataclasses.is_dataclass(inner) and isinstance(inner, type):
        _define(inner, defs)
        return {"$ref": f"#/$defs/{inner.__name__}"}
    origin = typing.get_origin(inner)
    if origin is tuple:
        return {"type": "array", "items": _type_schema(typing.get_args(inner)[0], defs)}
    if origin is Literal:
        return {"enum": list(typing.get_args(inner))}
    if inner is Decimal:
        return {"type": "number"}
    if inner is bool:
        return {"type": "boolean"}
    if inner is int:
        return {"type": "integer"}
    if inner is str:
        return {"type": "string", "minLength": 1}
    raise TypeError(f"no schema for {inner!r}")  # pragma: no cover


def _define(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    if cls.__name__ in defs:
        return {"$ref": f"#/$defs/{cls.__name__}"}
    defs[cls.__name__] = {}  # reserve the name before recursing
    docs = field_docs(cls)
    hints = type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        prop = _type_schema(hints[f.name], defs)
        if f.name in docs:
            prop = {**prop, "description": docs[f.name]}
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
        elif isinstance(f.default, Decimal | bool | int | str):
            prop["default"] = float(f.default) if isinstance(f.default, Decimal) else f.default
        properties[f.name] = prop
    defs[cls.__name__] = {
        "type": "object",
        "description": inspect.cleandoc(cls.__doc__ or cls.__name__),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return {"$ref": f"#/$defs/{cls.__name__}"}


def rubric_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a rubric file."""
    defs: dict[str, Any] = {}
    _define(model.Rubric, defs)
    root = defs.pop("Rubric")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Thang điểm (thangdiem rubric)",
        **root,
        "$defs": dict(sorted(defs.items())),
    }
