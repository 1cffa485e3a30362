"""Killing a run leaves nothing behind (issue 17, finding 5).

`predict --jobs 2 --command ...` and `evaluate --command ...` are killed with SIGTERM, SIGINT and
with SIGKILL in the middle of a document, while the plugin has a child process of its own.
After SIGTERM or SIGINT nothing of theirs is left: no process (pool workers, resource tracker,
plugins, the plugins' children), no temporary folder, no temporary file beside the output, and
the output file as it was. After SIGKILL the same holds once the next run has started and
finished (a process killed so cannot clean up; the next run removes what it left).

Processes are recognised by a marker in their environment, which the harness passes on to its
workers and (through `--env`) to the plugin and its children. Every wait is a poll with a
generous deadline, so a loaded machine makes the test slower, not flaky.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.checkout import CLAIMBENCH

MARK = "CB_KILL_TEST"
DEADLINE = 180.0

SLOW_PLUGIN = """
import os, subprocess, sys, time
child = subprocess.Popen(["sleep", "600"])  # a child the plugin never stops
open(os.path.join(os.environ["STATE"], f"started-{os.getpid()}"), "w").close()
for line in sys.stdin:
    time.sleep(600)  # killed in the middle of its first document
"""

QUICK_PLUGIN = """
import json, sys
for line in sys.stdin:
    print(json.dumps({"doc_id": json.loads(line)["id"], "numbers": []}), flush=True)
"""


def marked(token: str) -> list[str]:
    """The command lines of the live processes whose environment carries the marker."""
    needle = f"{MARK}={token}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append(f"{entry.name}: {cmdline}")
        except OSError:
            continue
    return found


def wait_until(condition, what: str, deadline: float = DEADLINE) -> None:
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def place(tmp_path: Path) -> dict[str, Path]:
    folders = {name: tmp_path / name for name in ("tmp", "state", "out")}
    for folder in folders.values():
        folder.mkdir()
    (tmp_path / "slow_plugin.py").write_text(SLOW_PLUGIN)
    (tmp_path / "quick_plugin.py").write_text(QUICK_PLUGIN)
    folders["root"] = tmp_path
    return folders


def command_line(kind: str, place: dict[str, Path], token: str) -> list[str]:
    plugin = f"{sys.executable} {place['root'] / 'slow_plugin.py'}"
    isolation = ["--command", plugin, "--timeout", "600", "--cpu-seconds", "0"]
    passed = ["--env", f"{MARK}={token}", "--env", f"STATE={place['state']}"]
    if kind == "predict":
        output = ["--output", str(place["out"] / "predictions.jsonl")]
        return [CLAIMBENCH, "predict", *isolation, *passed, "--jobs", "2", *output]
    output = ["--output", str(place["out"] / "results.json"), "--resamples", "0"]
    return [CLAIMBENCH, "evaluate", *isolation, *passed, *output]


def environment(place: dict[str, Path], token: str) -> dict[str, str]:
    return {**os.environ, "TMPDIR": str(place["tmp"]), MARK: token}


def next_run(place: dict[str, Path]) -> None:
    """A quick run in the same temporary folder, writing beside the killed run's output."""
    token = uuid.uuid4().hex
    plugin = f"{sys.executable} {place['root'] / 'quick_plugin.py'}"
    output = place["out"] / "next.jsonl"
    command = [CLAIMBENCH, "predict", "--command", plugin, "--output", str(output)]
    result = subprocess.run(
        command, env=environment(place, token), capture_output=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr.decode()
    output.unlink()


@pytest.mark.parametrize("kind", ["predict", "evaluate"])
@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "SIGINT", "SIGKILL"]
)
def test_a_killed_run_leaves_no_process_and_no_temporary_file(place, kind, signum):
    token = uuid.uuid4().hex
    previous = {"predictions.jsonl": "the previous predictions\n", "results.json": "{}\n"}
    for name, text in previous.items():
        (place["out"] / name).write_text(text)
    log = (place["root"] / "stderr.txt").open("wb")
    run = subprocess.Popen(
        command_line(kind, place, token),
        env=environment(place, token),
        stdout=subprocess.DEVNULL,
        stderr=log,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a shell
    )
    plugins = 2 if kind == "predict" else 1

    def working() -> bool:
        if run.poll() is not None:
            pytest.fail(f"the run ended early: {(place['root'] / 'stderr.txt').read_text()}")
        return len(list(place["state"].iterdir())) >= plugins

    wait_until(working, f"{plugins} plugin process(es) to start")
    run.send_signal(signum)
    code = run.wait(timeout=DEADLINE)
    log.close()
    stderr = (place["root"] / "stderr.txt").read_text()
    assert "Traceback" not in stderr, stderr
    if signum != signal.SIGKILL:  # 143 or 130 (Ctrl-C), never a gate's 1
        assert code == 128 + signum, stderr
    else:
        assert code == -signal.SIGKILL
        next_run(place)

    wait_until(lambda: not marked(token), f"no process left: {marked(token)}", deadline=60)
    assert list(place["tmp"].iterdir()) == []
    assert sorted(path.name for path in place["out"].iterdir()) == sorted(previous)
    for name, text in previous.items():
        assert (place["out"] / name).read_text() == text


POOL_PARENT = """
import multiprocessing, os, sys, time
from claimbench.processes import process_pool

def sleep_long(_):
    time.sleep(600)

if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1])
    with process_pool(2, context) as pool:
        futures = [pool.submit(sleep_long, n) for n in range(2)]
        while len(multiprocessing.active_children()) < 2:
            time.sleep(0.1)
        print(" ".join(str(child.pid) for child in multiprocessing.active_children()), flush=True)
        [future.result() for future in futures]
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_pool_workers_die_with_a_parent_killed_with_sigkill(tmp_path, start):
    """The pool of `leaderboard build` (fork) and of `--jobs` (spawn)."""
    script = tmp_path / "pool_parent.py"
    script.write_text(POOL_PARENT)
    parent = subprocess.Popen(
        [sys.executable, str(script), start], stdout=subprocess.PIPE, text=True
    )
    workers = [int(pid) for pid in parent.stdout.readline().split()]  # type: ignore[union-attr]
    assert len(workers) == 2
    parent.kill()
    parent.wait(timeout=DEADLINE)
    wait_until(lambda: not any(alive(pid) for pid in workers), "the workers to exit", 60)


FORKING_PLUGIN = """
import json, os, subprocess, sys
child = subprocess.Popen(["sleep", "600"])
with open(os.environ["PIDS"], "a") as pids:
    pids.write(f"{child.pid}\\n")
for line in sys.stdin:
    document = json.loads(line)
    if document["id"].startswith("000"):
        sys.exit(7)  # a crash: the child must not survive it
    print(json.dumps({"doc_id": document["id"], "numbers": []}), flush=True)
"""


def test_children_of_a_command_plugin_die_with_it(tmp_path):
    """Finding 5: children forked by a plugin survived its crash and its normal exit."""
    from claimbench.corpus.store import load_corpus
    from claimbench.extractors.command import CommandPlugin
    from claimbench.extractors.isolation import Limits
    from claimbench.paths import DEFAULT_CORPUS
    from tests.plugins_support import run_plugin

    script = tmp_path / "forking_plugin.py"
    script.write_text(FORKING_PLUGIN)
    pids = tmp_path / "pids.txt"
    plugin = CommandPlugin(
        f"{sys.executable} {script}", Limits(timeout=30), env={"PIDS": str(pids)}
    )
    try:
        run = run_plugin(plugin, load_corpus(DEFAULT_CORPUS).documents())
    finally:
        plugin.close()
    assert [failure.cause.value for failure in run.failures] == ["crash"]
    children = [int(pid) for pid in pids.read_text().split()]
    assert len(children) == 2  # the first process (crashed) and its restart (closed)
    wait_until(lambda: not any(alive(pid) for pid in children), "the plugin's children", 60)
