"""Turn store errors into one line on stderr and a documented exit code, never a traceback."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer._click.exceptions import (  # typer 0.29 vendors click: its own classes
    ClickException,
    NoArgsIsHelpError,
)
from typer.core import TyperGroup

from store.database import SQLITE_ERRORS
from store.display import visible
from store.errors import InvalidInput, NotFound, StoreError

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_PIPE_CLOSED = 141
"""What a Unix tool killed by SIGPIPE reports: the reader of our output went away (`| head`)."""


def exit_code_for(error: StoreError) -> int:
    """1 for not found, 2 for invalid input, 3 for anything else the store refused."""
    if isinstance(error, NotFound):
        return EXIT_NOT_FOUND
    if isinstance(error, InvalidInput):
        return EXIT_USAGE
    return EXIT_FAILED


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print `retain: message` on stderr and return the Exit to raise."""
    typer.echo(f"retain: {visible(message)}", err=True)
    return typer.Exit(code)


def _usage_line(error: ClickException) -> str:
    """Click's usage error as one line, with where to find the command's help."""
    message = error.format_message().strip().rstrip(".")
    context = getattr(error, "ctx", None)
    if context is not None:
        message += f" (see '{context.command_path} -h')"
    return " ".join(message.split())


def _not_utf8(args: Sequence[str]) -> str | None:
    """The first argument that holds bytes that are not UTF-8 (decoded as surrogates), if any."""
    for number, arg in enumerate(args, 1):
        if any("\udc80" <= char <= "\udcff" for char in arg):
            return f"argument {number} is not UTF-8 text; nothing was done"
    return None


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush to a closed pipe is silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a test runner's stdout has no file
        pass


class RetainGroup(TyperGroup):
    """The root command group: every error becomes one line on stderr and a documented code."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Run the CLI; usage errors are printed on one line instead of click's four."""
        arguments = list(sys.argv[1:] if args is None else args)
        if not standalone_mode:
            return super().main(arguments, prog_name, complete_var, standalone_mode, **extra)
        if problem := _not_utf8(arguments):
            typer.echo(f"retain: {problem}", err=True)
            sys.exit(EXIT_USAGE)
        try:
            result = super().main(arguments, prog_name, complete_var, False, **extra)
        except NoArgsIsHelpError as error:  # `retain task`: the group's help, as click shows it
            error.show()
            sys.exit(error.exit_code)
        except ClickException as error:
            typer.echo(f"retain: {_usage_line(error)}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo("retain: interrupted; nothing more was written", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, ClickException, typer.Abort):
            raise
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(EXIT_PIPE_CLOSED) from None
        except StoreError as error:
            raise fail(str(error), exit_code_for(error)) from None
        except OSError as error:
            # A path the user gave that is missing, or cannot be created, read or written.
            code = EXIT_NOT_FOUND if isinstance(error, FileNotFoundError) else EXIT_FAILED
            raise fail(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "),
                       code) from None
        except SQLITE_ERRORS as error:
            raise fail(f"the database reported: {error}", EXIT_FAILED) from None
        except KeyboardInterrupt:
            raise fail("interrupted; nothing more was written", 130) from None
        except RecursionError:
            raise fail("the input is nested too deeply to read; nothing was written") from None
        except Exception as error:  # a bug: still one line, and the command's name in it
            if os.environ.get("RETAIN_DEBUG"):
                raise
            raise fail(f"internal error in '{ctx.command_path}': {type(error).__name__}: "
                       f"{error}; nothing more was written (RETAIN_DEBUG=1 shows the "
                       "traceback)", EXIT_FAILED) from None
