"""docs/ci.md: the GitHub Actions workflows a researcher copies are valid YAML; the long-hand
one's steps run as written, from a folder outside the checkout with no --corpus or --gold (the
example gazetteer as the plugin). The action's workflow runs in tests/test_action.py."""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tests.checkout import PROJECT_ROOT
from tests.plugins_support import EXAMPLES

CI_DOC = PROJECT_ROOT / "docs" / "ci.md"
PLUGIN = "claimbench_example.gazetteer:Gazetteer"


def workflows() -> list[dict]:
    """The YAML blocks of docs/ci.md: the action's workflow, then the long-hand one."""
    blocks = re.findall(r"```yaml\n(.*?)```", CI_DOC.read_text(), re.DOTALL)
    assert len(blocks) == 2, "docs/ci.md shows the action's workflow and the long-hand one"
    return [yaml.safe_load(block) for block in blocks]


def _steps() -> dict[str, dict]:
    return {
        step["name"]: step for step in workflows()[1]["jobs"]["evaluate"]["steps"] if "name" in step
    }


def _baseline_command() -> str:
    block = re.search(r"## The baseline.*?```\n(.*?)```", CI_DOC.read_text(), re.DOTALL)
    assert block is not None
    return block.group(1).replace("my-extractor", '"$PLUGIN"')


@pytest.fixture
def repository(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A researcher's repository outside the checkout, and the step environment."""
    assert not tmp_path.resolve().is_relative_to(PROJECT_ROOT)
    (tmp_path / "ci").mkdir()
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(EXAMPLES / "claimbench-example-plugin" / "src"),
        "CI": "true",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "PLUGIN": PLUGIN,
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    return tmp_path, env


def _run(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_workflows_are_valid_and_pin_claimbench():
    for workflow in workflows():
        triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
        assert set(triggers) == {"pull_request", "push"}
        job = workflow["jobs"]["evaluate"]
        uses = [step.get("uses", "") for step in job["steps"]]
        assert uses[:1] == ["actions/checkout@v4"] and "actions/setup-python@v5" in uses
        assert "upload-artifact" in uses[-1] and job["steps"][-1]["if"] == "always()"
    action_steps = workflows()[0]["jobs"]["evaluate"]["steps"]
    assert any(step.get("uses") == "OWNER/claimbench@REF" for step in action_steps)
    install = _steps()["Install claimbench and the plugin"]["run"]
    assert 'pip install "claimbench @ git+https://github.com/OWNER/claimbench@REF"' in install


def test_the_workflow_steps_run_as_written(repository):
    folder, env = repository
    steps = _steps()
    check = _run(
        steps["Conformance check (schema, offsets, determinism, time per document)"]["run"],
        folder,
        env,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "PASS  determinism" in check.stdout

    evaluate = steps["Evaluate, gate, and publish the summary"]["run"]
    first = _run(evaluate, folder, env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "gate failed: overall >= 0.6" in first.stderr
    summary = (folder / "summary.md").read_text()
    assert summary.startswith("## claimbench: gazetteer 0.1.0 (python)")
    assert "### Gates: **failed**" in summary
    assert "extracting" not in first.stderr, "no progress bar under CI"
    cases = ET.parse(folder / "claimbench-junit.xml").getroot().iter("testcase")
    assert [case.get("name") for case in cases] == ["overall >= 0.6", "numbers.f1 >= 0.7"]

    baseline = _run(_baseline_command(), folder, env)
    assert baseline.returncode == 0, baseline.stdout + baseline.stderr
    assert (folder / "ci" / "baseline.json").exists()
    second = _run(evaluate, folder, env)
    assert second.returncode == 1
    names = [
        case.get("name") for case in ET.parse(folder / "claimbench-junit.xml").iter("testcase")
    ]
    assert names[:2] == ["overall >= 0.6", "numbers.f1 >= 0.7"]
    assert "overall drop <= 0.02" in names
    assert (folder / "claimbench-results.json").exists()
