"""The command group that imports a command's module only when it is needed, and turns
claimbench errors into messages and exit codes."""

import errno
import importlib
import os
import sys
from collections.abc import Mapping
from typing import Any

import click

from claimbench.errors import ClaimbenchError, InputError, OutputError
from claimbench.processes import remove_run_folder, terminate_gracefully

MAX_PROBLEMS_SHOWN = 50
INTERRUPTED = 130
"""Exit code of a command stopped by an interruption (128 + SIGINT), as a Ctrl-C gives."""
BROKEN_PIPE = 141
"""Exit code when standard output's reader has gone (128 + SIGPIPE), as a shell gives."""
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


class ClaimbenchGroup(click.Group):
    """A click group whose commands are imported when they are used, and end with a clear
    message, never a traceback, on bad input.

    Parameters
    ----------
    commands_at : Mapping[str, str]
        Each command's name and where it is defined, as `module:attribute`.
    """

    def __init__(self, *args: Any, commands_at: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands_at = dict(commands_at)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands_at)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = self.commands_at.get(cmd_name)
        if where is None:
            return None
        module, _, attribute = where.partition(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with terminate_gracefully():  # SIGTERM or Ctrl-C unwinds: workers, plugins, temp files
                result = super().invoke(ctx)
                if sys.stdout is not None:
                    sys.stdout.flush()  # a full disk under `> file` is found here, not at exit
                return result
        except ClaimbenchError as err:
            report_error(err)
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:  # raised by code, not by Ctrl-C (which raises `Terminated`)
            click.echo("interrupted", err=True)
            ctx.exit(INTERRUPTED)
        except BrokenPipeError:
            # The reader of standard output has gone (`| head`): stop as if killed by SIGPIPE,
            # quietly; what is still buffered goes nowhere at exit, not into the closed pipe.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(BROKEN_PIPE)
        except OSError as err:
            # Output files name their own write errors (OutputError); what reaches here
            # unnamed, on a full or failing device, was written to standard output. A named
            # file that cannot be opened (a symlink loop, a name too long, a file taken for a
            # folder) is one the user gave.
            if err.filename is not None:
                report_error(InputError.single(err.filename, err.strerror or str(err)))
                ctx.exit(InputError.exit_code)
            if err.errno not in _WRITE_ERRORS:
                raise
            report_error(OutputError(f"cannot write standard output: {err.strerror}"))
            ctx.exit(OutputError.exit_code)
        finally:
            remove_run_folder()  # a command leaves no temporary state, in-process callers too


def report_error(err: ClaimbenchError) -> None:
    """Print `err` on stderr, one problem per line."""
    if isinstance(err, InputError):
        problems = err.problems
        click.echo(f"error: {err.count} problem(s) found:", err=True)
        for problem in problems[:MAX_PROBLEMS_SHOWN]:
            click.echo(f"  {problem}", err=True)
        if err.count > MAX_PROBLEMS_SHOWN:
            hidden = err.count - min(len(problems), MAX_PROBLEMS_SHOWN)
            click.echo(f"  ... and {hidden} more (fix these first)", err=True)
    else:
        click.echo(f"error: {err}", err=True)
