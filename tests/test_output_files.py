"""Output files (issue 15, point 6; issue 17, finding 6): a symlink, `/dev/stdout`, a FIFO or
another non-regular destination is written through, never replaced; a regular file is
replaced atomically and gets the usual permissions; an output that cannot be written is found
before the work, or reported naming the file, never with a traceback and never leaving half a
file."""

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from claimbench.corpus.store import load_corpus
from claimbench.paths import DEFAULT_CORPUS, DEFAULT_GOLD
from tests.checkout import CLAIMBENCH

DOCS = load_corpus(DEFAULT_CORPUS).doc_ids


@pytest.fixture(scope="module")
def predictions(tmp_path_factory) -> Path:
    """The gold numbers as predictions, for every document."""
    from claimbench.validation.gold import load_gold

    gold = load_gold(DEFAULT_GOLD, load_corpus(DEFAULT_CORPUS)).extractions()
    path = tmp_path_factory.mktemp("predictions") / "p.jsonl"
    lines = (
        json.dumps({"doc_id": doc_id, "numbers": found.model_dump(mode="json")["numbers"]})
        for doc_id, found in gold.items()
    )
    path.write_text("\n".join(lines) + "\n")
    return path


def score(predictions: Path, *args: object, **popen: object) -> subprocess.CompletedProcess:
    command = [CLAIMBENCH, "score", "--predictions", predictions, "--resamples", "0", *args]
    options = {"capture_output": True, **popen} if "stdout" not in popen else popen
    return subprocess.run([str(arg) for arg in command], check=False, **options)  # type: ignore[call-overload]


def test_a_symlinked_output_is_written_to_its_target_and_the_link_stays(tmp_path, predictions):
    target = tmp_path / "real" / "results.json"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "results.json"
    link.symlink_to(target)
    result = score(predictions, "--output", link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target
    assert json.loads(target.read_text())["headline"]


def test_dev_stdout_is_written_through_to_a_pipe(predictions):
    result = score(predictions, "--output", "/dev/stdout", "--format", "json")
    assert result.returncode == 0, result.stderr
    decoder = json.JSONDecoder()
    first, end = decoder.raw_decode(result.stdout.decode())
    second, _ = decoder.raw_decode(result.stdout.decode()[end:].lstrip())
    assert first["headline"] == second["headline"]


def test_dev_stdout_redirected_to_a_file_is_written_through_not_replaced(tmp_path, predictions):
    redirected = tmp_path / "stdout.txt"
    redirected.write_text("kept: written before the command\n")
    inode = redirected.stat().st_ino
    with redirected.open("ab") as handle:
        result = score(
            predictions, "--output", "/dev/stdout", stdout=handle, stderr=subprocess.PIPE
        )
    assert result.returncode == 0, result.stderr
    assert redirected.stat().st_ino == inode
    text = redirected.read_text()
    assert text.startswith("kept: written before the command\n")
    assert '"headline"' in text


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path, predictions):
    fifo = tmp_path / "results.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = score(predictions, "--output", fifo)
    reader.join(timeout=120)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["headline"]


def test_new_files_get_the_umask_permissions_and_replaced_files_keep_theirs(tmp_path):
    from claimbench.fileio import write_atomic

    mask = os.umask(0o027)
    try:
        fresh = tmp_path / "fresh.json"
        write_atomic(fresh, "{}\n")
        kept = tmp_path / "kept.json"
        kept.write_text("old\n")
        kept.chmod(0o640)
        write_atomic(kept, "new\n")
    finally:
        os.umask(mask)
    from claimbench import fileio

    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~fileio._UMASK
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert kept.read_text() == "new\n"


def test_new_files_of_the_command_line_are_not_private(tmp_path, predictions):
    output = tmp_path / "results.json"
    result = score(predictions, "--output", output, preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(output.stat().st_mode) == 0o644


@pytest.mark.parametrize("option", ["--output", "--match-log", "--report"])
def test_an_output_in_a_place_that_cannot_hold_it_is_refused_before_the_work(
    tmp_path, predictions, option
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    destination = blocker / "results.json"
    value = f"markdown={destination}" if option == "--report" else destination
    result = score(predictions, option, value)
    assert result.returncode == 2
    assert f"{option} {destination}: cannot write in {blocker}" in result.stderr.decode()
    assert b"Traceback" not in result.stderr
    assert b"overall" not in result.stdout  # refused before scoring


def test_a_read_only_folder_is_refused_before_the_work(tmp_path, predictions):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # root writes anywhere but on a read-only file system
        folder = Path("/proc/sys")
    result = score(predictions, "--output", folder / "results.json")
    assert result.returncode == 2
    assert b"read-only" in result.stderr and b"Traceback" not in result.stderr


def limit_file_size() -> None:
    """In the child: files may not grow past 2 KB, and going past is an error (EFBIG), as on
    a full disk, not a signal."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


@pytest.mark.parametrize("option", ["--output", "--match-log"])
def test_a_full_disk_is_reported_naming_the_file_and_the_old_file_stays(
    tmp_path, predictions, option
):
    destination = tmp_path / "out.json"
    destination.write_text("the previous results\n")
    result = score(predictions, option, destination, preexec_fn=limit_file_size)
    assert result.returncode == 2, result.stderr
    assert f"cannot write {destination}: File too large" in result.stderr.decode()
    assert b"Traceback" not in result.stderr
    assert destination.read_text() == "the previous results\n"
    assert [path.name for path in tmp_path.iterdir()] == ["out.json"]  # no temporary left


def test_writing_to_a_full_device_is_reported(predictions):
    result = score(predictions, "--output", "/dev/full")
    assert result.returncode == 2
    assert b"cannot write /dev/full: No space left on device" in result.stderr
    assert b"Traceback" not in result.stderr


def test_predict_to_a_full_disk_keeps_the_old_file(tmp_path):
    destination = tmp_path / "p.jsonl"
    destination.write_text("the previous predictions\n")
    command = [CLAIMBENCH, "predict", "rules", "--output", str(destination)]
    result = subprocess.run(command, capture_output=True, check=False, preexec_fn=limit_file_size)
    assert result.returncode == 2, result.stderr
    assert b"cannot write" in result.stderr and b"Traceback" not in result.stderr
    assert destination.read_text() == "the previous predictions\n"


@pytest.mark.parametrize("option", ["--output", "--match-log", "--report"])
@pytest.mark.parametrize("given", ["--predictions", "--baseline"])
def test_an_output_that_names_an_input_file_is_refused_and_the_input_kept(
    tmp_path, predictions, option, given
):
    # The results (written even when a gate fails) would replace what the user wrote.
    baseline = tmp_path / "baseline.json"
    assert score(predictions, "--output", baseline).returncode == 0
    inputs = {"--predictions": tmp_path / "p.jsonl", "--baseline": baseline}
    inputs["--predictions"].write_bytes(predictions.read_bytes())
    before = {path: path.read_bytes() for path in inputs.values()}
    value = f"markdown={inputs[given]}" if option == "--report" else inputs[given]
    result = score(
        inputs["--predictions"], "--baseline", baseline, "--max-drop", "0.1", option, value
    )
    assert result.returncode == 2, result.stderr
    stderr = result.stderr.decode()
    assert f"{option} {inputs[given]}: is the {given} file; choose another file" in stderr
    assert b"Traceback" not in result.stderr and b"overall" not in result.stdout
    assert {path: path.read_bytes() for path in inputs.values()} == before


def test_an_output_inside_the_gold_folder_is_refused(tmp_path, predictions):
    gold = tmp_path / "gold"
    shutil.copytree(DEFAULT_GOLD, gold)
    document = gold / f"{DOCS[0]}.json"
    before = document.read_bytes()
    result = score(predictions, "--gold", gold, "--output", document)
    assert result.returncode == 2, result.stderr
    assert f"--output {document}: is inside the --gold folder {gold}" in result.stderr.decode()
    assert document.read_bytes() == before


def test_two_outputs_that_name_the_same_file_are_refused(tmp_path, predictions):
    destination = tmp_path / "out.json"
    result = score(predictions, "--output", destination, "--report", f"markdown={destination}")
    assert result.returncode == 2, result.stderr
    assert (
        f"--report {destination}: is also the --output file; give each output its own file"
        in result.stderr.decode()
    )
    assert not destination.exists()


def _unwritable_places(tmp_path: Path) -> list[Path]:
    """Places where no folder can be made: under a file, and on a read-only file system."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    return [blocker / "out", Path("/proc/sys/claimbench-out")]


def run_claimbench(*args: object) -> subprocess.CompletedProcess:
    command = [CLAIMBENCH, *(str(arg) for arg in args)]
    return subprocess.run(command, capture_output=True, check=False)


def assert_refused(result: subprocess.CompletedProcess, fragment: str) -> None:
    """Exit code 2, `fragment` on stderr, no traceback."""
    assert result.returncode == 2, result.stderr
    assert fragment in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def board_with_a_submission(tmp_path: Path, predictions: Path) -> Path:
    board = tmp_path / "board"
    add = ("leaderboard", "add", predictions, "--leaderboard", board)
    assert run_claimbench(*add, "--name", "x", "--version", "1").returncode == 0
    return board


def test_import_into_a_place_that_cannot_hold_it_names_the_folder(tmp_path):
    conll = tmp_path / "news.conll"
    conll.write_text("-DOCSTART- -X- -X- O\n\nAna NNP B-NP B-PER\nwent VBD O O\n")
    for out in _unwritable_places(tmp_path):
        result = run_claimbench("import", "conll", conll, "--out", out)
        assert_refused(result, f"error: cannot write {out}: ")


def test_a_submission_into_a_place_that_cannot_hold_it_names_the_folder(tmp_path, predictions):
    for board in _unwritable_places(tmp_path):
        add = ("leaderboard", "add", predictions, "--leaderboard", board)
        result = run_claimbench(*add, "--name", "x", "--version", "1")
        assert_refused(result, f"error: cannot write {board / 'submissions'}: ")


def test_a_site_page_that_cannot_be_written_is_named(tmp_path, predictions):
    board = board_with_a_submission(tmp_path, predictions)
    page = board / "site" / "ranking.csv"
    page.mkdir(parents=True)  # a folder where a page goes
    build = ("leaderboard", "build", "--leaderboard", board, "--resamples", "0")
    result = run_claimbench(*build, "--test-resamples", "1")
    assert_refused(result, f"cannot write {page}: Is a directory")
    for site in _unwritable_places(tmp_path):
        result = run_claimbench(*build, "--test-resamples", "1", "--site", site)
        assert_refused(result, f"cannot write {site}")


def test_a_site_in_a_folder_the_build_reads_is_refused(tmp_path, predictions):
    # Its ranking.json, written among the submissions, would be read as one by the next build.
    board = board_with_a_submission(tmp_path, predictions)
    gold, corpus = tmp_path / "gold", tmp_path / "corpus"  # copies: a broken guard must not
    shutil.copytree(DEFAULT_GOLD, gold)  # write into the project's own folders
    shutil.copytree(DEFAULT_CORPUS, corpus)
    before = sorted(path.name for path in (board / "submissions").iterdir())
    build = ("leaderboard", "build", "--leaderboard", board, "--gold", gold, "--corpus", corpus)
    verifications = board / "verifications"
    for site, reads in [
        (board / "submissions", f"leaderboard's submissions folder {board / 'submissions'}"),
        (verifications / "site", f"leaderboard's verifications folder {verifications}"),
        (gold / "site", f"--gold folder {gold}"),
        (corpus / "site", f"--corpus folder {corpus}"),
    ]:
        result = run_claimbench(*build, "--resamples", "0", "--site", site)
        assert result.returncode == 2, result.stderr
        assert f"--site {site}: is inside the {reads}" in result.stderr.decode()
        assert not site.exists() or site == board / "submissions"
    assert sorted(path.name for path in (board / "submissions").iterdir()) == before


def test_predict_does_not_write_over_its_corpus(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": "a", "text": "There were 12 men.\\n"}\n')
    folder = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS, folder)
    for given, output in [(corpus, corpus), (folder, folder / "manifest.json")]:
        before = output.read_bytes()
        result = run_claimbench("predict", "rules", "--corpus", given, "--output", output)
        assert result.returncode == 2, result.stderr
        assert f"error: --output {output}: is " in result.stderr.decode()
        assert output.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ["claims"],
        ["info", "--json"],
        ["predict", "rules"],
        ["score", "--predictions", "{predictions}", "--resamples", "0", "--format", "json"],
    ],
)
def test_standard_output_on_a_full_device_is_reported(predictions, args):
    # `claimbench ... > file` on a full disk: a traceback, exit 1 (a failed gate's code).
    command = [arg.format(predictions=predictions) for arg in args]
    with Path("/dev/full").open("wb") as full:
        result = subprocess.run(
            [CLAIMBENCH, *command], stdout=full, stderr=subprocess.PIPE, check=False
        )
    assert result.returncode == 2, result.stderr
    assert b"error: cannot write standard output: No space left on device" in result.stderr
    assert b"Traceback" not in result.stderr
