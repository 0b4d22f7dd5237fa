"""A person's own preferences (their name, theme, keys), kept in their config folder, not the book.

A book can be shared; who is at the keyboard is not part of it. `config.toml` lives in
`$RETAIN_CONFIG_DIR`, else the platform's user config directory, and holds:

```toml
me = "Maya Chen"          # the author of what you log, and whose accounts Today shows
theme = "gruvbox"         # the app's theme (picked from the command palette)

[keys]                    # remapped keys: binding id = keys (comma-separated)
"app.triage" = "ctrl+t"
```

`$RETAIN_USER` overrides `me` for one shell. The file is written 0600, never through a symlink,
and replaced atomically.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from store.errors import InvalidInput
from store.models.fields import Key, Name
from store.private_files import write_privately

CONFIG_DIR_ENV = "RETAIN_CONFIG_DIR"
USER_ENV = "RETAIN_USER"
FILENAME = "config.toml"


class UserConfig(BaseModel):
    """One person's preferences; each field's docstring is what `retain setting` shows."""

    model_config = ConfigDict(use_attribute_docstrings=True, extra="forbid", frozen=True)

    me: Name | None = None
    """Your name as owners are written in the book: the author of what you log, and whose
    accounts Today shows first ($RETAIN_USER overrides it)."""
    theme: Key | None = None
    """The app's theme (change it from the command palette: ctrl+p, "theme")."""
    keys: dict[str, str] = Field(default_factory=dict)
    """Remapped keys: a binding id (see `?` in the app) to the keys that trigger it."""


PERSONAL_KEYS: tuple[str, ...] = tuple(UserConfig.model_fields)
"""The settings that belong to the person rather than the book."""


def config_dir() -> Path:
    """The folder of the user's own files (config.toml, saved mappings)."""
    explicit = os.environ.get(CONFIG_DIR_ENV)
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("retain", appauthor=False))


def config_path() -> Path:
    """The user's config.toml."""
    return config_dir() / FILENAME


def load_user_config(path: Path | None = None) -> UserConfig:
    """The user's preferences (defaults when the file does not exist)."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return UserConfig()
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path}: cannot read: {error}") from None
    try:
        return UserConfig.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{path}: not valid TOML: {error}") from None
    except ValidationError as error:
        problem = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise InvalidInput(f"{path}: {where}: {problem['msg'].lower()}") from None


def save_user_config(config: UserConfig, path: Path | None = None) -> Path:
    """Write the preferences atomically (0600; a symlink in the way is replaced, not followed)."""
    import tomli_w

    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data: dict[str, Any] = config.model_dump(exclude_none=True, exclude_defaults=True)
    text = tomli_w.dumps(data)
    write_privately(path, lambda out: out.write(text))
    return path


def change_user_setting(key: str, value: Any, path: Path | None = None) -> UserConfig:
    """Validate and save one personal setting (None clears it); InvalidInput names the key."""
    if key not in PERSONAL_KEYS:
        raise InvalidInput(f"unknown personal setting {key!r}; known: {', '.join(PERSONAL_KEYS)}")
    current = load_user_config(path).model_dump()
    current[key] = value if value is not None else UserConfig.model_fields[key].get_default(
        call_default_factory=True)
    try:
        config = UserConfig.model_validate(current, strict=True)
    except ValidationError as error:
        problem = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise InvalidInput(f"{where}: {problem['msg'].lower()}, got {problem.get('input')!r}") \
            from None
    save_user_config(config, path)
    return config


def me(config: UserConfig | None = None) -> str | None:
    """The user's own name: $RETAIN_USER, else `me` in config.toml; None when neither is set."""
    from_env = " ".join(os.environ.get(USER_ENV, "").split())
    return from_env or (config or _quiet_load()).me


def author(config: UserConfig | None = None) -> str | None:
    """The author written on what this person logs: `me`, else the OS login name."""
    name = me(config)
    if name:
        return name
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _quiet_load() -> UserConfig:
    """The config for a default: a broken file is reported where it is edited, not here."""
    try:
        return load_user_config()
    except InvalidInput:
        return UserConfig()
