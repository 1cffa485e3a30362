"""Start-up cost, version, and the committed JSON Schemas."""

import shutil
import subprocess
import sys

from claimbench import __version__
from claimbench.paths import DEFAULT_GOLD
from claimbench.schemas import render_schemas

HEAVY = ("spacy", "sklearn", "scipy", "dask", "distributed", "playwright", "wordfreq", "numpy")


def test_help_imports_nothing_heavy():
    code = (
        "import sys\n"
        "from claimbench.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip().splitlines()[-1] == "[]"


def test_the_script_collects_rarely_and_freezes_its_objects_at_exit():
    """`claimbench` and `python -m claimbench` run `cli.run`: the collector's thresholds set
    for the whole process, every object frozen before the interpreter's shutdown (issue 16);
    a program calling `main` itself keeps its collector as it was."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen at exit', gc.get_freeze_count() > 0))\n"
        "import claimbench.cli as cli\n"
        "how, sys.argv = sys.argv[1], ['claimbench', 'info']\n"
        "print('before', gc.get_threshold())\n"
        "try:\n    cli.run() if how == 'run' else cli.main()\n"
        "except SystemExit as end:\n    print('during', gc.get_threshold(), end.code)\n"
    )
    for how, during, frozen in (("run", (200000, 10, 100), True), ("main", (700, 10, 10), False)):
        output = subprocess.run(
            [sys.executable, "-c", code, how], capture_output=True, text=True, check=True
        ).stdout.splitlines()
        assert output[0] == "before (700, 10, 10)"
        assert output[-2:] == [f"during {during} 0", f"frozen at exit {frozen}"], output


def test_version(run_cli):
    result = run_cli("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_committed_schemas_match_the_models():
    for name, text in render_schemas().items():
        path = DEFAULT_GOLD / "schema" / name
        assert path.exists(), f"{name} is not committed: run `claimbench schemas`"
        assert path.read_text() == text, f"{name} drifted from the models: run `claimbench schemas`"


def test_schemas_check_command(run_cli, tmp_path):
    assert run_cli("schemas", "--dir", tmp_path, "--check").exit_code == 1
    assert run_cli("schemas", "--dir", tmp_path).exit_code == 0
    assert run_cli("schemas", "--dir", tmp_path, "--check").exit_code == 0


def test_a_schema_file_that_cannot_be_read_differs_and_is_rewritten(run_cli, tmp_path):
    # A folder in its place, or bytes that are not UTF-8: a traceback before.
    from claimbench.paths import DEFAULT_GOLD

    folder = tmp_path / "schema"
    shutil.copytree(DEFAULT_GOLD / "schema", folder)
    (folder / "results.schema.json").write_bytes(b"\xff\xfe")
    (folder / "slots.schema.json").unlink()
    (folder / "slots.schema.json").mkdir()
    result = run_cli("schemas", "--dir", folder, "--check")
    assert result.exit_code == 1, result.output
    assert "schemas differ from the models: " in result.output
    assert "results.schema.json" in result.output and "slots.schema.json" in result.output
    result = run_cli("schemas", "--dir", folder)
    assert result.exit_code == 2, result.output
    assert f"cannot write {folder / 'slots.schema.json'}: Is a directory" in result.output
    (folder / "slots.schema.json").rmdir()
    assert run_cli("schemas", "--dir", folder).exit_code == 0
    assert run_cli("schemas", "--dir", folder, "--check").exit_code == 0
