"""The `claimbench` command line (click). Each command's module is imported when the command
runs (or when the help lists it), and heavy modules are imported inside commands, so that
`claimbench --help` starts fast."""

import atexit
import faulthandler
import gc

import click

from claimbench.cli.app import ClaimbenchGroup
from claimbench.processes import SCORING_THRESHOLDS

COMMANDS = {
    "corpus": "claimbench.cli.corpus_cmd:corpus",
    "validate": "claimbench.cli.validate_cmd:validate",
    "schemas": "claimbench.cli.schemas_cmd:schemas",
    "plugins": "claimbench.cli.plugins_cmd:plugins",
    "predict": "claimbench.cli.predict_cmd:predict",
    "evaluate": "claimbench.cli.evaluate_cmd:evaluate",
    "score": "claimbench.cli.score_cmd:score",
    "compare": "claimbench.cli.compare_cmd:compare",
    "leaderboard": "claimbench.cli.leaderboard_cmd:leaderboard",
    "import": "claimbench.cli.interop_cmd:import_group",
    "export": "claimbench.cli.interop_cmd:export_group",
    "claims": "claimbench.cli.claims_cmd:claims",
    "info": "claimbench.cli.info_cmd:info",
}
"""Each command, and where it is defined (`module:attribute`)."""


@click.group(
    cls=ClaimbenchGroup,
    commands_at=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="claimbench", prog_name="claimbench")
def main() -> None:
    """claimbench: a structured-claims corpus and the harness that scores extractors on it.

    Exit codes: 0 ok, 1 a threshold or regression gate failed, 2 bad usage or invalid input,
    3 the plugin failed.
    """


def run() -> None:
    """The `claimbench` script and `python -m claimbench`: `main` in a process of its own.

    Such a process runs the cycle collector rarely for its whole life (`SCORING_THRESHOLDS`,
    imports included: what they make lives to the end) and freezes every object at exit, so
    that the interpreter's shutdown does not walk them all again. Together about 0.07 s of
    each run (benchmarks/RESULTS.md, issue 16). Only here: a program that calls `main` in its
    own process keeps its collector as it is.

    A Python plugin runs in this process: if it crashes the interpreter (a segmentation fault
    in an extension, `os.abort()`), nothing of ours can report it, so the fault handler prints
    where each thread was, naming the plugin's file and line, before the process dies.
    """
    faulthandler.enable()
    gc.set_threshold(*SCORING_THRESHOLDS)
    atexit.register(gc.freeze)
    main(prog_name="claimbench")
