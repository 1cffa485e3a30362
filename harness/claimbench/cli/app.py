"""The command group that imports a command's module only when it is needed, and turns
claimbench errors into messages and exit codes."""

import importlib
import signal
from collections.abc import Mapping
from typing import Any

import click

from claimbench.errors import ClaimbenchError, InputError
from claimbench.processes import remove_run_folder, terminate_gracefully

MAX_PROBLEMS_SHOWN = 50
EXIT_INTERRUPTED = 128 + signal.SIGINT


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
            with terminate_gracefully():  # SIGTERM unwinds: workers, plugins, temp files go
                return super().invoke(ctx)
        except ClaimbenchError as err:
            report_error(err)
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:  # Ctrl-C: 130 as SIGTERM's 143 (click's 1 is a failed gate's)
            ctx.exit(EXIT_INTERRUPTED)
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
