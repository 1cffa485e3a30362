"""`python -m claimbench`: the command line, for when the `claimbench` script is not on PATH."""

from claimbench.cli import main

main(prog_name="claimbench")
