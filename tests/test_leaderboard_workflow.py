""".github/workflows/leaderboard.yml: its triggers and permissions, and its steps run locally on
a clone of this repository, as GitHub runs them (the set-up steps are replaced by this checkout's
environment)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.checkout import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "leaderboard.yml"
SET_UP = {"Install claimbench"}
"""Steps replaced here: the test runs with this checkout's claimbench on PATH."""


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def run_steps(job: str, repository: Path, env: dict[str, str]) -> list[tuple[str, int, str]]:
    """Run every `run` step of `job` in `repository` (bash -e, as GitHub does), in order, until
    one fails; return (name, exit code, output) per step run."""
    done = []
    for step in workflow()["jobs"][job]["steps"]:
        if "run" not in step or step.get("name") in SET_UP:
            continue
        step_env = dict(env)
        for key, value in step.get("env", {}).items():
            # A GitHub expression (`${{ ... }}`) is what the test's environment gives for it.
            step_env[key] = env[key] if str(value).startswith("${{") else str(value)
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=repository,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        done.append((step["name"], result.returncode, result.stdout + result.stderr))
        if result.returncode != 0:
            break
    return done


def git(repository: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repository), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A clone of this repository where a pull request adds the `rules` baseline's submission
    on top of a base commit without it; and the environment GitHub gives the steps."""
    repository = tmp_path / "repository"
    subprocess.run(
        ["git", "clone", "--quiet", "--shared", str(PROJECT_ROOT), str(repository)], check=True
    )
    for key, value in (("user.name", "test"), ("user.email", "test@example.org")):
        git(repository, "config", key, value)
    (rules,) = (repository / "leaderboard" / "submissions").glob("rules-*.json")
    kept = tmp_path / rules.name
    shutil.copy(rules, kept)
    git(repository, "rm", "--quiet", str(rules.relative_to(repository)))
    records = repository / "leaderboard" / "verifications"
    for record in records.glob("rules-*.json"):
        git(repository, "rm", "--quiet", str(record.relative_to(repository)))
    git(repository, "commit", "--quiet", "-m", "base: no rules submission")
    base = git(repository, "rev-parse", "HEAD")
    shutil.copy(kept, rules)
    git(repository, "add", str(rules.relative_to(repository)))
    git(repository, "commit", "--quiet", "-m", "pull request: add the rules submission")
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "RUNNER_TEMP": str(tmp_path / "runner"),
        "BASE_SHA": base,
        "CI": "true",
    }
    return repository, env


def test_the_workflow_checks_pull_requests_and_publishes_main_to_pages():
    flow = workflow()
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["pull_request"]["paths"] == ["leaderboard/submissions/**"]
    assert triggers["push"]["branches"] == ["main"]
    publish = flow["jobs"]["publish"]
    assert publish["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert "actions/upload-pages-artifact@v3" in uses and "actions/deploy-pages@v4" in uses
    upload = next(step for step in publish["steps"] if "upload-pages" in step.get("uses", ""))
    assert upload["with"]["path"] == "leaderboard/site"


def test_the_pull_request_steps_check_and_verify_an_added_submission(pull_request):
    repository, env = pull_request
    done = run_steps("check", repository, env)
    assert [(name, code) for name, code, _ in done] == [
        ("Check every submission", 0),
        ("Verify the added submissions", 0),
    ], done
    verified = done[-1][2]
    assert "rules-" in verified and ": reproduced:" in verified
    assert "spacy" not in verified  # only what the pull request adds is re-run
    assert (Path(env["RUNNER_TEMP"]) / "site" / "index.html").exists()


def test_the_pull_request_steps_fail_on_a_tampered_submission(pull_request):
    repository, env = pull_request
    (rules,) = (repository / "leaderboard" / "submissions").glob("rules-*.json")
    rules.write_text(rules.read_text().replace('"name": "rules"', '"name": "rules (best)"'))
    git(repository, "commit", "--quiet", "-am", "edit the name after recording")
    done = run_steps("check", repository, env)
    name, code, output = done[-1]
    assert (name, code) == ("Check every submission", 2)
    assert f"{rules.name}: sha256" in output and "changed after it was written" in output


def test_the_main_branch_steps_verify_everything_and_build_the_site(pull_request):
    repository, env = pull_request
    done = run_steps("publish", repository, env)
    assert [(name, code) for name, code, _ in done] == [
        ("Verify every submission", 0),
        ("Build the site", 0),
    ], done
    site = repository / "leaderboard" / "site"
    index = (site / "index.html").read_text()
    assert index.count('class="badge badge-verified"') == 2 + 1  # two rows and the legend
    assert (site / "ranking.csv").exists() and (site / "compare.html").exists()
