"""The commands shown in the tutorial and the how-to guides run, as written, in the order shown.

Each page runs in a fresh folder that is a claimbench checkout (`pyproject.toml` and
`leaderboard/` copied; `corpus`, `gold`, `seeds` and `benchmarks` linked in; a copy of
`examples`), so commands find their data and write their submissions there, as in a reader's
checkout; this environment's `bin/` is first on PATH (what `source .venv/bin/activate` does).
Every `$ ` line of a ```` ```console ```` block runs in bash and must exit 0, or the code its
`# exits N` comment gives; a ```` ```python title="FILE" ```` block is written to FILE first.
What cannot run here as written is changed, and only this:

- `make setup` and `source .venv/bin/activate` are not run: the suite runs inside the
  environment they make (`make test` runs `make setup` first).
- `pip install -e DIR` installs DIR into a folder of the test (`--target`, offline, on
  PYTHONPATH) rather than into this environment.
- `tcp://scheduler:8786` becomes the address of a local Dask cluster started by the test.
- The LLM tutorial's endpoint is the local chat-completions server of `tests/test_llm_plugin.py`
  (answers written for the tests; no model runs), its URL, model and key in the environment.
- The container recipe's `docker` lines are not run (no container runtime here); the
  `claimbench` commands inside them run with the container's mounts mapped onto folders.

The install how-to's commands are run by `tests/test_install_anywhere.py`, from a wheel
installed into a fresh environment.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.checkout import PROJECT_ROOT
from tests.test_llm_plugin import KEY, MODEL, ChatCompletions

DOCS = PROJECT_ROOT / "docs"
GUIDES = sorted([*DOCS.glob("tutorial/*.md"), *DOCS.glob("how-to/*.md")])
BLOCK = re.compile(r'```(console|python title="([^"]+)")\n(.*?)```', re.DOTALL)
_BUILD_FILES = shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
_SITE = shutil.ignore_patterns("site")
NOT_RUN = ("make setup", "source .venv/bin/activate")


def steps(page: Path) -> Iterator[tuple[str, str]]:
    """("write", "FILE\\nCONTENT") and ("run", "COMMAND [# exits N]") in page order."""
    for match in BLOCK.finditer(page.read_text()):
        if match[2]:
            yield "write", f"{match[2]}\n{match[3]}"
            continue
        for line in match[3].splitlines():
            if line.startswith("$ "):
                yield "run", line[2:]


def _expected_code(command: str) -> tuple[str, int]:
    match = re.search(r"\s+# exits (\d+).*$", command)
    return (command[: match.start()], int(match[1])) if match else (command, 0)


class Workspace:
    """A folder that is a claimbench checkout, and how its commands are run."""

    def __init__(self, folder: Path, env: dict[str, str], substitutions: dict[str, str]) -> None:
        self.folder = folder
        self.env = env
        self.substitutions = substitutions
        self.site = folder / ".site-packages"
        for name in ("corpus", "gold", "seeds", "benchmarks"):
            (folder / name).symlink_to(PROJECT_ROOT / name)
        # Copies: installing the example package writes build files next to it, and recording
        # writes submissions.
        shutil.copytree(PROJECT_ROOT / "examples", folder / "examples", ignore=_BUILD_FILES)
        shutil.copytree(PROJECT_ROOT / "leaderboard", folder / "leaderboard", ignore=_SITE)
        shutil.copy(PROJECT_ROOT / "pyproject.toml", folder)
        self.env["PYTHONPATH"] = str(self.site)

    def adapt(self, command: str) -> str:
        """The command as this test runs it (see the module docstring)."""
        install = re.fullmatch(r"pip install -e (\S+)", command)
        if install:
            return (
                f"{sys.executable} -m pip install --quiet --disable-pip-version-check --no-deps "
                f"--no-build-isolation --no-index --target {self.site} {install[1]}"
            )
        for old, new in self.substitutions.items():
            command = command.replace(old, new)
        return command

    def run(self, command: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", "-eo", "pipefail", "-c", command],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )


@pytest.fixture
def chat_server() -> Iterator[str]:
    """The local chat-completions server of the LLM plugin's tests."""
    ChatCompletions.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ChatCompletions)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def dask_scheduler() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def _environment() -> dict[str, str]:
    bin_dir = Path(sys.executable).parent
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "NO_COLOR": "1",
    }


def _substitutions(page: Path, request: pytest.FixtureRequest) -> tuple[dict, dict]:
    env, substitutions = {}, {}
    text = page.read_text()
    if "tcp://scheduler:8786" in text:
        substitutions["tcp://scheduler:8786"] = request.getfixturevalue("dask_scheduler")
    if "OPENAI_BASE_URL" in text:
        url = request.getfixturevalue("chat_server")
        env = {"OPENAI_BASE_URL": url, "OPENAI_MODEL": MODEL, "OPENAI_API_KEY": KEY}
    return env, substitutions


RUN_ELSEWHERE = {
    "containers.md": "test_the_container_recipe_runs_with_its_mounts_mapped, below",
    "install.md": "tests/test_install_anywhere.py",
}


def test_every_guide_shows_commands_that_run():
    """Every tutorial and how-to page has commands this module runs, except those whose
    commands another test runs (`RUN_ELSEWHERE`)."""
    without = {page.name for page in GUIDES if not any(kind == "run" for kind, _ in steps(page))}
    assert without == set(RUN_ELSEWHERE)


@pytest.mark.parametrize(
    "page",
    [p for p in GUIDES if p.name not in RUN_ELSEWHERE],
    ids=lambda page: str(page.relative_to(DOCS)),
)
def test_the_commands_of_the_page_run(page, tmp_path, request):
    env, substitutions = _substitutions(page, request)
    workspace = Workspace(tmp_path, {**_environment(), **env}, substitutions)
    ran = 0
    for kind, content in steps(page):
        if kind == "write":
            name, body = content.split("\n", 1)
            (tmp_path / name).write_text(body)
            continue
        command, expected = _expected_code(content)
        if command in NOT_RUN:
            continue
        result = workspace.run(workspace.adapt(command))
        assert result.returncode == expected, f"$ {command}\n{result.stdout}\n{result.stderr}"
        ran += 1
    assert ran, f"{page.name} shows no command"


def test_the_tutorial_shows_what_a_researcher_types():
    commands = [content for kind, content in steps(DOCS / "tutorial" / "first-plugin.md")]
    assert commands[0] == "make setup" and commands[1] == "source .venv/bin/activate"
    assert any(c.startswith("my_plugin.py\n") for c in commands)
    for words in (
        "plugins check",
        "pip install -e",
        "--fail-under",
        "--record",
        "leaderboard build",
    ):
        assert any(words in command for command in commands), words


def test_the_container_recipe_runs_with_its_mounts_mapped(tmp_path):
    """Everything of the recipe but docker itself: the image's claimbench predicts with a
    command plugin from /submission on the corpus in /data/corpus into /out, and the score
    outside reads it."""
    recipe = re.search(
        r"## The container recipe.*?```\n(.*?)```",
        (DOCS / "how-to" / "containers.md").read_text(),
        re.DOTALL,
    )
    assert recipe is not None
    lines = recipe[1].replace("\\\n", " ").splitlines()
    inside = next(line for line in lines if "claimbench predict" in line)
    predict = inside[inside.index("claimbench predict") :]
    score = next(line for line in lines if line.startswith("claimbench score"))
    submission = tmp_path / "submission"
    submission.mkdir()
    run = submission / "run"
    run.write_text(
        f"#!/bin/sh\nexec {sys.executable} {PROJECT_ROOT / 'examples' / 'command_plugin.py'}\n"
    )
    run.chmod(0o755)
    (tmp_path / "out").mkdir()
    mounts = {
        "/data/corpus": str(PROJECT_ROOT / "corpus"),
        "/submission": str(submission),
        "/out": str(tmp_path / "out"),
    }
    for old, new in mounts.items():
        predict = predict.replace(old, new)
    workspace = Workspace(tmp_path, _environment(), {})
    for command in (predict, score):
        result = workspace.run(command)
        assert result.returncode == 0, f"$ {command}\n{result.stdout}\n{result.stderr}"
    assert (tmp_path / "out" / "results.json").exists()
    assert shlex.split(predict)[:2] == ["claimbench", "predict"]
