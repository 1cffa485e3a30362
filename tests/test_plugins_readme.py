"""The README's plugin guide does what it says: its Python plugin runs, its example answer is a
valid prediction, its entry-point table is the example package's, its command plugin line works,
and it says plainly that isolation is not a sandbox, with a container recipe."""

import json
import re
import sys
import tomllib

from tests.checkout import PROJECT_ROOT
from tests.plugins_support import EXAMPLES

README = (PROJECT_ROOT / "README.md").read_text()
GUIDE = README[README.index("## Plugins") : README.index("## Large corpora")]


def _block(language: str, after: str = "") -> str:
    start = GUIDE.index(after) if after else 0
    match = re.search(rf"```{language}\n(.*?)```", GUIDE[start:], re.DOTALL)
    assert match is not None, f"no {language} block after {after!r}"
    return match.group(1)


def test_the_python_plugin_of_the_guide_runs(run_cli, tmp_path, monkeypatch):
    (tmp_path / "cb_readme_plugin.py").write_text(_block("python"))
    monkeypatch.chdir(tmp_path)
    result = run_cli("evaluate", "cb_readme_plugin:Gazetteer", "--resamples", "0")
    sys.modules.pop("cb_readme_plugin", None)
    assert result.exit_code == 0, result.output
    assert "gazetteer 0.1.0 (python)" in result.stdout


def test_the_entry_point_table_is_the_example_packages():
    table = tomllib.loads(_block("toml"))["project"]["entry-points"]["claimbench.extractors"]
    pyproject = (EXAMPLES / "claimbench-example-plugin" / "pyproject.toml").read_text()
    project = tomllib.loads(pyproject)["project"]
    assert table == project["entry-points"]["claimbench.extractors"]


def test_the_example_answer_is_a_valid_prediction(run_cli, tmp_path):
    record = json.loads(_block("json"))
    path = tmp_path / "answer.jsonl"
    path.write_text(json.dumps(record) + "\n")
    result = run_cli("validate", "predictions", path)
    assert result.exit_code == 0, result.output


def test_the_command_plugin_line_runs(run_cli, monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)
    line = re.search(r'claimbench evaluate --command "([^"]+)"', GUIDE)
    assert line is not None
    command = line.group(1).replace("python3", sys.executable, 1)
    result = run_cli("evaluate", "--command", command, "--resamples", "0")
    assert result.exit_code == 0, result.output


def test_every_option_the_guide_names_exists(run_cli):
    helps = {
        command: run_cli(*command.split(), "--help").output
        for command in ("evaluate", "predict", "score", "plugins check")
    }
    named = set(re.findall(r"(--[a-z][a-z-]+)", GUIDE))
    unknown = {option for option in named if not any(option in text for text in helps.values())}
    container_options = {
        "--rm", "--network", "--read-only", "--tmpfs", "--memory", "--memory-swap", "--cpus",
        "--pids-limit", "--cap-drop", "--security-opt", "--user", "--no-cache-dir",
    }  # fmt: skip
    assert unknown <= container_options, unknown - container_options


def test_isolation_is_not_a_sandbox_and_a_container_recipe_is_given():
    section = GUIDE[GUIDE.index("### Isolation is not a sandbox") :]
    assert "This is isolation, not a sandbox." in section
    recipe = _block("", "### Isolation is not a sandbox")
    for flag in ("--network none", "--read-only", "--memory 4g", "--cpus 2", "--cap-drop ALL"):
        assert flag in recipe
    assert "claimbench predict" in recipe and "claimbench score" in recipe
    mounts = re.findall(r'-v "([^"]+)"', recipe)
    assert mounts and not any("gold" in mount for mount in mounts), mounts
