"""Start-up cost, version, and the committed JSON Schemas."""

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
