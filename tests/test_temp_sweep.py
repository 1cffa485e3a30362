"""The sweep of temporary files that killed writers leave beside their outputs (`fileio`,
`processes.abandoned`): a file is removed at once only when its writer ran on this host and
has ended; any other (a writer on another host sharing the folder (NFS), whose pid means
nothing here, or a name without a host) only once unchanged for `STALE_SECONDS`."""

import os
import subprocess
import sys
import time
from pathlib import Path

from claimbench.fileio import write_atomic
from claimbench.processes import STALE_SECONDS, host_tag

KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from claimbench import fileio
if sys.argv[2] != "here":  # a writer on another host: its names carry that host's tag
    fileio.host_tag = lambda: sys.argv[2]
with fileio.atomic_writer(Path(sys.argv[1])) as handle:
    handle.write(b"half a file")
    handle._handle.flush()
    os.kill(os.getpid(), signal.SIGKILL)
"""
ANOTHER_HOST = "0badc0de"


def _killed_writer(folder: Path, host: str) -> Path:
    """The temporary file a writer on `host` ("here" or a tag) left when killed mid-write."""
    folder.mkdir()
    command = [sys.executable, "-c", KILLED_WRITER, str(folder / "results.json"), host]
    assert subprocess.run(command, check=False).returncode == -9
    (left,) = folder.glob(".results.json.*.tmp")
    return left


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_killed_writer_of_this_host_leaves_nothing_after_the_next_write(tmp_path):
    left = _killed_writer(tmp_path / "out", "here")
    assert f"@{host_tag()}-" in left.name
    write_atomic(tmp_path / "out" / "other.json", "{}\n")
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["other.json"]


def test_a_writer_on_another_host_is_spared_until_its_file_is_stale(tmp_path):
    # Its pid does not run here; on a shared folder that says nothing about the writer.
    left = _killed_writer(tmp_path / "shared", ANOTHER_HOST)
    write_atomic(tmp_path / "shared" / "other.json", "{}\n")
    assert left.exists()
    assert f"@{ANOTHER_HOST}-" in left.name
    # Unchanged for longer than any live writer goes without a flush: removed.
    stale = tmp_path / "stale"
    stale.mkdir()
    _age(left.rename(stale / left.name), STALE_SECONDS + 60)
    write_atomic(stale / "other.json", "{}\n")
    assert sorted(path.name for path in stale.iterdir()) == ["other.json"]


def test_a_live_writer_here_and_names_without_a_host(tmp_path):
    finished = subprocess.Popen(["true"])  # a pid that has ended
    finished.wait()
    names = {
        "live_here": f".a.json.{os.getpid()}@{host_tag()}-abcd1234.tmp",
        "live_pid_stale": f".b.json.{os.getpid()}@{host_tag()}-abcd1234.tmp",  # a reused pid
        "old_name_fresh": f".c.json.{finished.pid}-abcd1234.tmp",
        "old_name_stale": f".d.json.{finished.pid}-abcd1234.tmp",
        "not_a_writer_s": ".notes.tmp",
    }
    for name in names.values():
        (tmp_path / name).write_bytes(b"")
    for key in ("live_pid_stale", "old_name_stale", "not_a_writer_s"):
        _age(tmp_path / names[key], 2 * STALE_SECONDS)
    write_atomic(tmp_path / "results.json", "{}\n")
    kept = {path.name for path in tmp_path.iterdir()}
    removed = {"live_pid_stale", "old_name_stale"}
    assert kept == {"results.json"} | {names[key] for key in names if key not in removed}
