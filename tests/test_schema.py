"""The JSON Schema is generated from the model and agrees with the loader."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import ROOT, rubric_data
from generator.loader import read_yaml
from generator.schema import field_docs, rubric_schema
from scoring_py import codec, model


def as_json(data: Any) -> Any:
    """Plain JSON types, as an editor would see the YAML."""
    return json.loads(codec.dumps(data))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    """A validator for the generated schema (the schema itself checked first)."""
    schema = rubric_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", sorted((ROOT / "rubrics").glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_rubrics_match_the_schema(validator: Any, path: Path) -> None:
    """Every bundled rubric is valid against the schema."""
    data, reader = read_yaml(path.read_text(encoding="utf-8"), str(path))
    assert reader.problems == []
    assert list(validator.iter_errors(as_json(data))) == []


def test_schema_refuses_what_the_loader_refuses(validator: Any) -> None:
    """Unknown keys, wrong types and bad enum values fail the schema too."""
    for change in (
        lambda d: d.update(tittle="x"),
        lambda d: d.update(total="100"),
        lambda d: d["criteria"][0]["items"][0].update(kind="scroe"),
        lambda d: d["criteria"][0].pop("items"),
    ):
        data = copy.deepcopy(rubric_data())
        change(data)
        assert list(validator.iter_errors(as_json(data))), change


def test_schema_documents_every_field() -> None:
    """Each field of each model class has its docstring in the schema as a description."""
    schema = rubric_schema()
    defs = {"Rubric": schema, **schema["$defs"]}
    for cls in (model.Rubric, model.Item, model.Criterion, model.Band, model.Override):
        props = defs[cls.__name__]["properties"]
        docs = field_docs(cls)
        assert set(props) == set(docs), cls.__name__
        assert all(props[name]["description"] == docs[name] for name in props)


def test_committed_schema_is_the_generated_one() -> None:
    """The copy editors use (site_src/schema) is exactly `thangdiem schema`: run `make schema`."""
    committed = ROOT / "site_src" / "schema" / "rubric.schema.json"
    assert committed.read_text(encoding="utf-8") == codec.dumps(rubric_schema(), indent=2) + "\n"


def test_rubric_files_point_editors_at_the_schema() -> None:
    """Each bundled rubric starts with the yaml-language-server line naming the schema."""
    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../site_src/schema/rubric.schema.json"
