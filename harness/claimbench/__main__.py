"""`python -m claimbench`: the command line, for when the `claimbench` script is not on PATH."""

from claimbench.cli import run

run()
