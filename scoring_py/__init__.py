"""Score assessments against the rubrics of công tác dân vận chính quyền.

Pure and standard-library only: the same files run on CPython and, in the browser, on Pyodide.
The browser calls `scoring_py.api`, which takes and returns JSON text.
"""

from .document import template, validate
from .engine import score_document
from .model import Rubric
from .problems import DocumentError, Problem, RubricError
from .rubric import canonical_json, parse_rubric, rubric_hash
from .summary import aggregate

__all__ = [
    "DocumentError",
    "Problem",
    "Rubric",
    "RubricError",
    "aggregate",
    "canonical_json",
    "parse_rubric",
    "rubric_hash",
    "score_document",
    "template",
    "validate",
]
