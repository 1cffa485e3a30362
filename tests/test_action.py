"""action.yml, the reusable GitHub Action, run step by step here as GitHub runs a composite
action: inputs substituted into each step's `env`, `GITHUB_ACTION_PATH` at (a copy of) this
checkout, `GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT` temporary files, and the caller's repository
(the example plugin) as the working directory. Nothing is downloaded (tests/install_support)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.checkout import PROJECT_ROOT
from tests.install_support import EXAMPLE_PACKAGE, Environment, copy_sources, make_environment
from tests.test_evaluate_ci_docs import workflows

ACTION = yaml.safe_load((PROJECT_ROOT / "action.yml").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")
CONDITION = re.compile(r"^inputs\.([\w-]+) == '([^']*)'$")


def _inputs(given: dict[str, str]) -> dict[str, str]:
    unknown = set(given) - set(ACTION["inputs"])
    assert not unknown, f"not inputs of action.yml: {unknown}"
    return {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()} | given


def _runs(step: dict, inputs: dict[str, str]) -> bool:
    condition = step.get("if")
    if condition is None:
        return True
    match = CONDITION.match(condition)
    assert match is not None, f"a condition this test does not read: {condition}"
    return inputs[match.group(1)] == match.group(2)


def run_action(
    environment: Environment, action_path: Path, workspace: Path, **given: str
) -> tuple[int, dict[str, str], str]:
    """Run the action's steps in order until one fails; return that exit code (0 when all
    passed), the outputs it set and the step summary."""
    inputs = _inputs({name.replace("_", "-"): value for name, value in given.items()})
    assert inputs["plugin"] or inputs["command"]
    files = workspace.parent / "github"
    shutil.rmtree(files, ignore_errors=True)
    files.mkdir()
    (files / "output").touch()
    (files / "summary.md").touch()
    code = 0
    for step in ACTION["runs"]["steps"]:
        if not _runs(step, inputs):
            continue
        assert step["shell"] == "bash"
        env = environment.variables(workspace) | {
            "GITHUB_ACTION_PATH": str(action_path),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(files / "output"),
            "GITHUB_STEP_SUMMARY": str(files / "summary.md"),
        }
        for name, value in step.get("env", {}).items():
            env[name] = EXPRESSION.sub(lambda m: inputs[m.group(1)], value)
        assert "${{" not in step["run"], "a step's script must read inputs from its env"
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode:
            code = done.returncode
            break
    outputs = dict(
        line.split("=", 1) for line in (files / "output").read_text().splitlines() if line
    )
    return code, outputs, (files / "summary.md").read_text()


@pytest.fixture(scope="module")
def action(tmp_path_factory: pytest.TempPathFactory) -> tuple[Environment, Path, Path]:
    """A fresh environment, the action's checkout, and the caller's repository."""
    work = tmp_path_factory.mktemp("action")
    action_path = copy_sources(work / "action", extra=("action.yml",))
    workspace = shutil.copytree(EXAMPLE_PACKAGE, work / "repository" / "workspace")
    return make_environment(work), action_path, workspace


def test_the_action_declares_its_inputs_and_outputs():
    assert ACTION["runs"]["using"] == "composite"
    assert {"plugin", "command", "fail-under", "baseline", "max-drop", "requirements"} <= set(
        ACTION["inputs"]
    )
    assert set(ACTION["outputs"]) == {"overall", "results", "junit"}


def documented_inputs() -> dict[str, str]:
    """The `with:` of the action in docs/ci.md's workflow, for the example plugin."""
    steps = workflows()[0]["jobs"]["evaluate"]["steps"]
    (step,) = (step for step in steps if step.get("uses") == "OWNER/claimbench@REF")
    return {name: str(value) for name, value in step["with"].items()} | {"plugin": "gazetteer"}


def test_the_action_installs_checks_evaluates_and_publishes(action):
    environment, action_path, workspace = action
    code, outputs, summary = run_action(
        environment, action_path, workspace, plugin="gazetteer", fail_under="entities.f1=0.5"
    )
    assert code == 0, summary
    assert summary.startswith("## claimbench: gazetteer 0.1.0 (python)")
    assert "| ✅ | entities.f1 \\>= 0.5 |" in summary
    assert outputs["results"] == "claimbench-results.json"
    assert (workspace / outputs["results"]).is_file()
    assert "<testcase" in (workspace / outputs["junit"]).read_text()
    overall = float(outputs["overall"])
    assert 0 < overall < 1

    # docs/ci.md's gates fail the gazetteer (it attempts no numbers): the step fails with exit
    # code 1, after the summary and the outputs are written.
    baseline = shutil.copy(workspace / outputs["results"], workspace / "baseline.json")
    code, outputs, summary = run_action(
        environment,
        action_path,
        workspace,
        **documented_inputs(),
        baseline=str(baseline),
        max_drop="0.01",
    )
    assert code == 1
    assert "| ✅ | overall drop \\<= 0.01 |" in summary
    assert "| ❌ | overall \\>= 0.6 |" in summary
    assert "| ❌ | numbers.f1 \\>= 0.7 |" in summary
    assert float(outputs["overall"]) == overall
