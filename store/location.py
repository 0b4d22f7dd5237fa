"""Where the book lives: `--db`, else `$RETAIN_DB`, else the platform's user data directory."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

ENV_VAR = "RETAIN_DB"
DEFAULT_FILENAME = "retain.db"


def default_db_path() -> Path:
    """The book used when neither `--db` nor `$RETAIN_DB` says otherwise."""
    return user_data_path("retain", appauthor=False) / DEFAULT_FILENAME


def resolve_db_path(explicit: Path | str | None = None) -> Path:
    """Pick the database file: an explicit path wins, then `$RETAIN_DB`, then the default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()
