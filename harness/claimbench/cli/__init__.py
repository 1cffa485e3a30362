"""The `claimbench` command line (click). Heavy modules are imported inside commands, so that
`claimbench --help` starts fast."""

import click

from claimbench import __version__
from claimbench.cli.app import ClaimbenchGroup
from claimbench.cli.claims_cmd import claims
from claimbench.cli.compare_cmd import compare
from claimbench.cli.corpus_cmd import corpus
from claimbench.cli.evaluate_cmd import evaluate
from claimbench.cli.info_cmd import info
from claimbench.cli.interop_cmd import export_group, import_group
from claimbench.cli.leaderboard_cmd import leaderboard
from claimbench.cli.plugins_cmd import plugins
from claimbench.cli.predict_cmd import predict
from claimbench.cli.schemas_cmd import schemas
from claimbench.cli.score_cmd import score
from claimbench.cli.validate_cmd import validate


@click.group(cls=ClaimbenchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimbench")
def main() -> None:
    """claimbench: a structured-claims corpus and the harness that scores extractors on it.

    Exit codes: 0 ok, 1 a threshold or regression gate failed, 2 bad usage or invalid input,
    3 the plugin failed.
    """


main.add_command(corpus)
main.add_command(validate)
main.add_command(schemas)
main.add_command(plugins)
main.add_command(predict)
main.add_command(evaluate)
main.add_command(score)
main.add_command(compare)
main.add_command(leaderboard)
main.add_command(import_group)
main.add_command(export_group)
main.add_command(claims)
main.add_command(info)
