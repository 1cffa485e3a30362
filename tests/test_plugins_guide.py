"""The plugin guide in the docs does what it says: the tutorial's Python plugin runs, its
entry-point table is the example package's, the example answer of the formats reference is a
valid prediction, every option the guides name exists, and the container how-to says plainly
that isolation is not a sandbox and gives a recipe that keeps the gold out.

(`tests/test_docs_commands.py` runs every command the tutorial and the how-tos show.)"""

import json
import re
import sys
import tomllib

from tests.checkout import PROJECT_ROOT
from tests.plugins_support import EXAMPLES

DOCS = PROJECT_ROOT / "docs"
TUTORIAL = (DOCS / "tutorial" / "first-plugin.md").read_text()
FORMATS = (DOCS / "reference" / "formats.md").read_text()
CONTAINERS = (DOCS / "how-to" / "containers.md").read_text()
GUIDES = [*DOCS.glob("tutorial/*.md"), *DOCS.glob("how-to/*.md"), DOCS / "reference" / "results.md"]


def _block(text: str, language: str, after: str = "") -> str:
    start = text.index(after) if after else 0
    match = re.search(rf"```{language}[^\n]*\n(.*?)```", text[start:], re.DOTALL)
    assert match is not None, f"no {language} block after {after!r}"
    return match.group(1)


def test_the_python_plugin_of_the_tutorial_runs(run_cli, tmp_path, monkeypatch):
    (tmp_path / "my_plugin.py").write_text(_block(TUTORIAL, "python"))
    monkeypatch.chdir(tmp_path)
    result = run_cli("evaluate", "my_plugin:Gazetteer", "--resamples", "0")
    sys.modules.pop("my_plugin", None)
    assert result.exit_code == 0, result.output
    assert "gazetteer 0.1.0 (python)" in result.stdout


def test_the_entry_point_table_is_the_example_packages():
    table = tomllib.loads(_block(TUTORIAL, "toml"))["project"]["entry-points"]
    pyproject = (EXAMPLES / "claimbench-example-plugin" / "pyproject.toml").read_text()
    project = tomllib.loads(pyproject)["project"]
    assert table["claimbench.extractors"] == project["entry-points"]["claimbench.extractors"]


def test_the_example_answer_is_a_valid_prediction(run_cli, tmp_path):
    record = json.loads(_block(FORMATS, "json", "## What an answer contains"))
    path = tmp_path / "answer.jsonl"
    path.write_text(json.dumps(record) + "\n")
    result = run_cli("validate", "predictions", path)
    assert result.exit_code == 0, result.output


def test_every_option_the_guides_name_exists(run_cli):
    helps = " ".join(
        run_cli(*command.split(), "--help").output
        for command in ("evaluate", "predict", "score", "plugins check", "compare", "validate",
                        "import brat", "import conll", "import docbin", "leaderboard add",
                        "leaderboard build", "leaderboard verify", "claims")
    )  # fmt: skip
    named = {
        option for page in GUIDES for option in re.findall(r"(--[a-z][a-z-]+)", page.read_text())
    }
    container_options = {
        "--rm", "--network", "--read-only", "--tmpfs", "--memory", "--memory-swap", "--cpus",
        "--pids-limit", "--cap-drop", "--security-opt", "--user", "--no-cache-dir",
    }  # fmt: skip
    unknown = {option for option in named if option not in helps}
    assert unknown <= container_options, unknown - container_options


def test_isolation_is_not_a_sandbox_and_a_container_recipe_is_given():
    assert "This is isolation, not a sandbox." in CONTAINERS
    recipe = _block(CONTAINERS, "", "## The container recipe")
    for flag in ("--network none", "--read-only", "--memory 4g", "--cpus 2", "--cap-drop ALL"):
        assert flag in recipe
    assert "claimbench predict" in recipe and "claimbench score" in recipe
    mounts = re.findall(r'-v "([^"]+)"', recipe)
    assert mounts and not any("gold" in mount for mount in mounts), mounts
