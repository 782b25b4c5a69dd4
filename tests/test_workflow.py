"""The GitHub Actions workflow: it runs the tests README gives on every push and pull request,
and publishes the site only after they pass, from main only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from testkit.site import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def workflow() -> dict[str, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def runs(job: dict[str, Any]) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def test_every_push_and_pull_request_runs_the_readmes_test_command() -> None:
    """The test job runs the command of .ci/run and of README's "run all the tests"."""
    data = workflow()
    assert {"push", "pull_request"} <= set(data["on"])
    ci = Path(ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    command = ci[-1].strip()
    assert command == "make test"
    assert command in runs(data["jobs"]["test"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(command)}(\s|$)", readme, re.MULTILINE)


def test_the_site_is_published_only_after_the_tests_from_main() -> None:
    """build needs test and runs on main pushes only; deploy needs build."""
    jobs = workflow()["jobs"]
    assert jobs["build"]["needs"] == "test"
    assert jobs["deploy"]["needs"] == "build"
    assert "refs/heads/main" in jobs["build"]["if"] and "pull_request" in jobs["build"]["if"]
    assert "make build" in runs(jobs["build"])
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_every_job_installs_python_through_make_so_from_the_lock() -> None:
    """The jobs that run Python install it as `make` does: from requirements.lock, hashes checked
    (tests/test_lock.py), with pip's cache keyed on the lock; none runs pip on its own."""
    jobs = workflow()["jobs"]
    for name in ("test", "build"):
        commands = runs(jobs[name])
        assert any(re.match(r"make (\S+ )*\.venv/\.installed( |$)", run) for run in commands)
        assert not any(re.search(r"\bpip install\b", run) for run in commands)
        python = next(
            s for s in jobs[name]["steps"] if s.get("uses", "").startswith("actions/setup-python")
        )
        assert python["with"]["cache-dependency-path"] == "requirements.lock"
