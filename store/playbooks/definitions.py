"""Playbooks: named lists of steps attached to a trigger, read from TOML and validated."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from store.errors import InvalidInput
from store.models.fields import StageKey
from store.models.kinds import InteractionKind
from store.user_config import config_dir

FILENAME = "playbooks.toml"
SHIPPED_PATH = Path(__file__).with_name("shipped.toml")


class Trigger(StrEnum):
    """What starts a playbook on an account."""

    STAGE = "stage"
    """The account enters `stage` (a board move, `retain stage`, an import)."""
    DETRACTOR = "detractor"
    """An NPS answer of 0-6 is recorded (CLI, app or import)."""
    RENEWAL = "renewal"
    """The account's renewal date is `days_before` days away or closer."""
    ONBOARDING_LATE = "onboarding_late"
    """Onboarding runs past its time-to-value target (the Today rule `onboarding`)."""
    HEALTH_RED = "health_red"
    """The health score falls into the red band ('at risk')."""


PlaybookName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$")]


class Step(BaseModel):
    """One step: a task titled `title`, due `due` days after the trigger, of an optional kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    due: Annotated[int, Field(ge=0, le=730)] = 0
    kind: InteractionKind | None = None


class Playbook(BaseModel):
    """A named list of steps and the trigger that turns them into tasks on an account."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: PlaybookName
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    trigger: Trigger
    stage: StageKey | None = None
    days_before: Annotated[int, Field(ge=0, le=730)] | None = None
    step: Annotated[list[Step], Field(min_length=1)]

    @model_validator(mode="after")
    def _trigger_options(self) -> Playbook:
        if (self.trigger == Trigger.STAGE) != (self.stage is not None):
            raise ValueError("stage is needed with trigger \"stage\" and only with it")
        if (self.trigger == Trigger.RENEWAL) != (self.days_before is not None):
            raise ValueError("days_before is needed with trigger \"renewal\" and only with it")
        return self

    @property
    def steps(self) -> list[Step]:
        """The steps, in the order they were written."""
        return self.step

    def trigger_text(self) -> str:
        """The trigger in words: 'entering purchase', 'renewal in 90 days'..."""
        if self.trigger == Trigger.STAGE:
            return f"entering {self.stage}"
        if self.trigger == Trigger.RENEWAL:
            return f"renewal in {self.days_before} days or less"
        return {
            Trigger.DETRACTOR: "an NPS detractor answer (0-6)",
            Trigger.ONBOARDING_LATE: "onboarding past its time-to-value target",
            Trigger.HEALTH_RED: "health falls into the red band (at risk)",
        }[self.trigger]


class PlaybookFile(BaseModel):
    """What a playbooks.toml holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    shipped: bool = True
    """Keep retain's shipped playbooks (those this file does not replace or disable)."""
    disable: list[PlaybookName] = Field(default_factory=list)
    """Shipped playbooks to turn off, by name."""
    playbook: list[Playbook] = Field(default_factory=list)


@dataclass(frozen=True)
class PlaybookSet:
    """The playbooks in force: shipped ones merged with the user's file."""

    playbooks: tuple[Playbook, ...]
    origins: dict[str, str]
    """Per playbook name: 'shipped', 'playbooks.toml' or 'playbooks.toml (replaces shipped)'."""
    path: Path

    def get(self, name: str) -> Playbook:
        """The playbook called `name`, or InvalidInput listing the names."""
        for playbook in self.playbooks:
            if playbook.name == name:
                return playbook
        raise InvalidInput(
            f"no playbook {name!r}; playbooks: {', '.join(p.name for p in self.playbooks)}")

    def for_trigger(self, trigger: Trigger, stage: str | None = None) -> list[Playbook]:
        """The playbooks a trigger (and for a stage trigger, the stage entered) starts."""
        return [p for p in self.playbooks
                if p.trigger == trigger and (stage is None or p.stage == stage)]


def playbooks_path() -> Path:
    """The user's playbooks.toml, in the config folder (`$RETAIN_CONFIG_DIR` or the platform's)."""
    return config_dir() / FILENAME


# -- reading and validating -----------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[\s*(playbook(?:\s*\.\s*step)?)\s*\]\]")


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of `text` where the value at `loc` (playbook, i, step, j, key) is written."""
    lines = text.splitlines()
    headers = [(number, re.sub(r"\s", "", match.group(1)))
               for number, line in enumerate(lines) if (match := _HEADER.match(line))]
    start, end, rest = 0, (headers[0][0] if headers else len(lines)), loc
    nested = len(loc) >= 2 and loc[0] == "playbook" and isinstance(loc[1], int)
    if nested:
        books = [number for number, name in headers if name == "playbook"]
        if loc[1] >= len(books):
            return None
        start = books[loc[1]]
        book_end = next((number for number in books if number > start), len(lines))
        steps = [n for n, name in headers if name == "playbook.step" and start < n < book_end]
        end = steps[0] if steps else book_end  # a playbook's own keys come before its steps
        rest = loc[2:]
        if len(rest) >= 2 and rest[0] == "step" and isinstance(rest[1], int):
            if rest[1] >= len(steps):
                return int(start) + 1
            start = steps[rest[1]]
            end = next((number for number, _ in headers if number > start), len(lines))
            rest = rest[2:]
    key = rest[0] if rest and isinstance(rest[0], str) else None
    if key is not None:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(start, end):
            if pattern.match(lines[number]):
                return number + 1
    return start + 1 if nested else None


def _where(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    """The key path of a problem in words: playbook "win-back" step 2 kind."""
    parts: list[str] = []
    index = 0
    while index < len(loc):
        part = loc[index]
        following = loc[index + 1] if index + 1 < len(loc) else None
        if part == "playbook" and isinstance(following, int):
            entries = data.get("playbook") or []
            entry = entries[following] if following < len(entries) else None
            name = entry.get("name") if isinstance(entry, dict) else None
            parts.append(f'playbook "{name}"' if isinstance(name, str) else
                         f"playbook {following + 1}")
            index += 2
        elif part == "step" and isinstance(following, int):
            parts.append(f"step {following + 1}")
            index += 2
        else:
            parts.append(str(part) if not isinstance(part, int) else f"[{part + 1}]")
            index += 1
    return " ".join(parts)


_PATTERNS = {
    "name": "must be 1-60 lowercase letters, digits, '-' or '_', starting with a letter or digit",
    "disable": "must be a playbook name (lowercase letters, digits, '-' or '_')",
    "stage": "must be a stage key (lowercase letters, digits and '_', starting with a letter)",
}
"""Plain words for the names and keys that must match a pattern."""


def parse_playbooks(text: str, path: Path) -> PlaybookFile:
    """Validate the text of a playbooks file; InvalidInput names the file, line and key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+), column (\d+)\)$", str(error))
        at = f"{path}:{where[1]}:{where[2]}" if where else str(path)
        reason = str(error)[:where.start()].strip() if where else str(error)
        raise InvalidInput(f"{at}: not valid TOML: {reason}") from None
    try:
        parsed = PlaybookFile.model_validate(data)
    except ValidationError as error:
        problem = error.errors(include_url=False)[0]
        loc = tuple(problem["loc"])
        line = _line_of(text, loc)
        at = f"{path}:{line}" if line else str(path)
        message = problem["msg"].removeprefix("Value error, ")
        message = message[0].lower() + message[1:]
        if problem["type"] == "enum":
            message = message.replace("input should be", "must be")
        elif problem["type"] == "string_pattern_mismatch":
            key = next((part for part in reversed(loc) if isinstance(part, str)), "")
            message = _PATTERNS.get(key, message)
        given = problem.get("input")
        shown = f" (got {given!r})" if isinstance(given, (str, int, float)) else ""
        raise InvalidInput(f"{at}: {_where(loc, data)}: {message}{shown}") from None
    names = [playbook.name for playbook in parsed.playbook]
    for index, name in enumerate(names):
        if name in names[:index]:
            line = _line_of(text, ("playbook", index, "name"))
            raise InvalidInput(f"{path}:{line}: playbook \"{name}\" is defined twice")
    return parsed


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path}: cannot read: {error}") from None


def shipped_playbooks() -> tuple[Playbook, ...]:
    """The playbooks retain ships (store/playbooks/shipped.toml)."""
    return tuple(parse_playbooks(_read(SHIPPED_PATH), SHIPPED_PATH).playbook)


def load_playbooks(path: Path | None = None) -> PlaybookSet:
    """The playbooks in force: the shipped ones, replaced, disabled or added to by the file.

    A missing file means the shipped playbooks as they are; a bad one raises InvalidInput.
    """
    path = path or playbooks_path()
    shipped = shipped_playbooks()
    try:
        exists = path.is_file()
    except OSError:
        exists = False
    if not exists:
        return PlaybookSet(shipped, {p.name: "shipped" for p in shipped}, path)
    text = _read(path)
    own = parse_playbooks(text, path)
    shipped_names = {p.name for p in shipped}
    for index, name in enumerate(own.disable):
        if name not in shipped_names:
            line = _line_of(text, ("disable",))
            at = f"{path}:{line}" if line else str(path)
            raise InvalidInput(f"{at}: disable [{index + 1}]: no shipped playbook {name!r}")
    mine = {p.name: p for p in own.playbook}
    kept = [p for p in shipped if own.shipped and p.name not in own.disable and p.name not in mine]
    origins = {p.name: "shipped" for p in kept}
    for playbook in own.playbook:
        origins[playbook.name] = (f"{FILENAME} (replaces shipped)"
                                  if playbook.name in shipped_names else FILENAME)
    return PlaybookSet(tuple(kept) + tuple(own.playbook), origins, path)


class PlaybookCache:
    """Loads the playbooks again only when the file changed (size, mtime) or moved."""

    def __init__(self) -> None:
        self._stamp: tuple[Any, ...] | None = None
        self._loaded: PlaybookSet | None = None

    def get(self) -> PlaybookSet:
        """The playbooks in force now."""
        path = playbooks_path()
        try:
            info = os.stat(path)
            stamp: tuple[Any, ...] = (str(path), info.st_mtime_ns, info.st_size, info.st_ino)
        except OSError:
            stamp = (str(path), None)
        if self._loaded is None or stamp != self._stamp:
            self._loaded = load_playbooks(path)
            self._stamp = stamp
        return self._loaded
