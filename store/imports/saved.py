"""Mappings saved by name in a TOML file ($RETAIN_CONFIG, else the user config directory)."""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from store.errors import InvalidInput, NotFound
from store.private_files import write_privately


@dataclass
class SavedMapping:
    """A reusable mapping: for which kind, from which preset, with which --map overrides."""

    kind: str
    preset: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)


def config_path() -> Path:
    """The TOML file mappings are saved in."""
    explicit = os.environ.get("RETAIN_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("retain")) / "mappings.toml"


def _load(path: Path) -> dict[str, SavedMapping]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidInput(f"{path}: cannot read saved mappings: {error}") from None
    found = {}
    for name, entry in data.get("mapping", {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("kind"), str):
            raise InvalidInput(f"{path}: [mapping.{name}] needs a kind")
        columns = entry.get("columns", {})
        found[name] = SavedMapping(entry["kind"], entry.get("preset"),
                                   {str(k): str(v) for k, v in columns.items()})
    return found


def load_mapping(name: str) -> SavedMapping:
    """The mapping saved as `name`."""
    path = config_path()
    mappings = _load(path)
    if name not in mappings:
        known = ", ".join(sorted(mappings)) or "none saved yet"
        raise NotFound(f"no saved mapping {name!r} in {path} ({known})")
    return mappings[name]


def save_mapping(name: str, mapping: SavedMapping) -> Path:
    """Save (or replace) the mapping `name`; return the file written."""
    if not name.replace("-", "_").isidentifier():
        raise InvalidInput(f"mapping name {name!r}: use letters, digits, - and _")
    path = config_path()
    mappings = _load(path) | {name: mapping}
    lines = []
    for key, entry in sorted(mappings.items()):
        lines.append(f"[mapping.{key}]")
        lines.append(f"kind = {json.dumps(entry.kind)}")
        if entry.preset:
            lines.append(f"preset = {json.dumps(entry.preset)}")
        lines.append(f"[mapping.{key}.columns]")
        lines += [f"{json.dumps(src, ensure_ascii=False)} = {json.dumps(dst)}"
                  for src, dst in entry.overrides.items()]
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_privately(path, lambda stream: stream.write("\n".join(lines)))  # 0600, via a scratch file
    return path
