"""Lifecycle models: the stage presets from MISSION.md, their phases, and custom stage lists."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from store.errors import InvalidInput

CHURNED = "churned"
_STAGE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class Phase(StrEnum):
    """The three groups every stage belongs to."""

    ACQUISITION = "acquisition"
    ENGAGEMENT = "engagement"
    RETENTION = "retention"


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of a lifecycle model; `key` is stable, `label` is what people read."""

    key: str
    label: str
    phase: Phase
    terminal: bool = False


@dataclass(frozen=True, slots=True)
class LifecycleModel:
    """An ordered list of stages plus the terminal `churned` state, off the main path."""

    name: str
    stages: tuple[Stage, ...]
    customer_from: str
    """Key of the first stage whose accounts are paying customers (the purchase point)."""

    @property
    def keys(self) -> tuple[str, ...]:
        """Every stage key, main path first, `churned` last."""
        return tuple(stage.key for stage in self.stages)

    @property
    def main_path(self) -> tuple[Stage, ...]:
        """The stages in order, without terminal states."""
        return tuple(stage for stage in self.stages if not stage.terminal)

    def stage(self, key: str) -> Stage:
        """Return the stage with `key`, or raise InvalidInput naming the valid keys."""
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise InvalidInput(
            f"unknown stage {key!r}; this book's stages are: {', '.join(self.keys)}"
        )

    def is_customer_stage(self, key: str) -> bool:
        """True when accounts in stage `key` have bought (purchase onward, not churned)."""
        path = [stage.key for stage in self.main_path]
        return key in path and path.index(key) >= path.index(self.customer_from)

    def neighbour(self, key: str, step: int) -> Stage | None:
        """The stage `step` places along the main path from `key` (None past either end)."""
        path = self.main_path
        keys = [stage.key for stage in path]
        if key not in keys:
            return None
        index = keys.index(key) + step
        return path[index] if 0 <= index < len(path) else None


def _model(name: str, customer_from: str, *stages: tuple[str, str, Phase]) -> LifecycleModel:
    built = tuple(Stage(key, label, phase) for key, label, phase in stages)
    churned = Stage(CHURNED, "Churned", Phase.RETENTION, terminal=True)
    return LifecycleModel(name=name, stages=built + (churned,), customer_from=customer_from)


A, E, R = Phase.ACQUISITION, Phase.ENGAGEMENT, Phase.RETENTION

PRESETS: dict[str, LifecycleModel] = {
    "classic": _model(
        "classic",
        "purchase",
        ("awareness", "Awareness", A),
        ("consideration", "Consideration", A),
        ("purchase", "Purchase", A),
        ("activation", "Activation", E),
        ("adoption", "Adoption", E),
        ("retention", "Retention", R),
        ("expansion", "Expansion", R),
    ),
    "nine": _model(
        "nine",
        "purchase",
        ("awareness", "Awareness", A),
        ("consideration", "Consideration", A),
        ("qualification", "Qualification", A),
        ("evaluation", "Evaluation", E),
        ("purchase", "Purchase", E),
        ("activation", "Activation", E),
        ("expansion", "Expansion", R),
        ("renewal", "Renewal", R),
        ("referral", "Referral", R),
    ),
    "six": _model(
        "six",
        "onboarding",
        ("acquisition", "Acquisition", A),
        ("onboarding", "Onboarding", E),
        ("adoption", "Adoption", E),
        ("retention", "Retention", R),
        ("expansion", "Expansion", R),
        ("referral", "Referral", R),
    ),
    "loyalty": _model(
        "loyalty",
        "purchase",
        ("awareness", "Awareness", A),
        ("conversion", "Conversion", A),
        ("purchase", "Purchase", A),
        ("onboarding", "Onboarding", E),
        ("renewal", "Renewal", R),
        ("loyalty", "Loyalty", R),
    ),
}
DEFAULT_PRESET = "classic"


def preset(name: str) -> LifecycleModel:
    """Return the preset called `name`, or raise InvalidInput listing the presets."""
    try:
        return PRESETS[name]
    except KeyError:
        raise InvalidInput(
            f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}"
        ) from None


def load_custom_model(path: Path) -> LifecycleModel:
    """Read a custom stage list from a TOML file.

    The file holds `name`, `customer_from` and one `[[stage]]` table per stage with `key`,
    `label` and `phase`; `churned` is always added.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidInput(f"{path}: cannot read stage list: {error}") from None
    raw_stages = data.get("stage")
    if not isinstance(raw_stages, list) or len(raw_stages) < 2:
        raise InvalidInput(f"{path}: needs at least two [[stage]] tables")
    stages: list[tuple[str, str, Phase]] = []
    for number, raw in enumerate(raw_stages, start=1):
        where = f"{path}: stage {number}"
        key = str(raw.get("key", ""))
        if not _STAGE_KEY.match(key) or key == CHURNED:
            raise InvalidInput(
                f"{where}: field 'key': {key!r} must be lower-case letters, digits or _ "
                "(and not 'churned', which every model has)"
            )
        if key in [existing[0] for existing in stages]:
            raise InvalidInput(f"{where}: field 'key': {key!r} appears twice")
        try:
            phase = Phase(str(raw.get("phase", "")))
        except ValueError:
            raise InvalidInput(
                f"{where}: field 'phase': must be one of {', '.join(Phase)}"
            ) from None
        stages.append((key, str(raw.get("label") or key.title()), phase))
    customer_from = str(data.get("customer_from") or stages[0][0])
    if customer_from not in [stage[0] for stage in stages]:
        raise InvalidInput(f"{path}: field 'customer_from': {customer_from!r} is not a stage")
    return _model(str(data.get("name") or path.stem), customer_from, *stages)
