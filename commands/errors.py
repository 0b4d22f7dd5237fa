"""Turn store errors into one line on stderr and a documented exit code, never a traceback."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from store.database import SQLITE_ERRORS
from store.display import visible
from store.errors import InvalidInput, NotFound, StoreError

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2
EXIT_FAILED = 3


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


class RetainGroup(TyperGroup):
    """The root command group: every StoreError raised by a command becomes a clean message."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
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
