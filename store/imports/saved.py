"""Mappings saved by name in a TOML file ($RETAIN_CONFIG, else the user config directory)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from store.errors import InvalidInput, NotFound
from store.imports.mapping import Overrides
from store.private_files import write_privately


@dataclass
class SavedMapping:
    """A reusable mapping: for which kind, from which preset, with which --map overrides."""

    kind: str
    preset: str | None = None
    overrides: Overrides = field(default_factory=list)


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
        pairs: Overrides = []
        for source, targets in entry.get("columns", {}).items():
            for target in targets if isinstance(targets, list) else [targets]:
                pairs.append((str(source), str(target)))
        found[name] = SavedMapping(entry["kind"], entry.get("preset"), pairs)
    return found


def load_mapping(name: str) -> SavedMapping:
    """The mapping saved as `name`."""
    path = config_path()
    mappings = _load(path)
    if name not in mappings:
        known = ", ".join(sorted(mappings)) or "none saved yet"
        raise NotFound(f"no saved mapping {name!r} in {path} ({known})")
    return mappings[name]


def check_can_save(name: str) -> None:
    """Refuse, before anything is imported, a mapping name or a mappings file that cannot be saved."""
    if not name or not name.replace("-", "_").isidentifier():
        raise InvalidInput(f"mapping name {name!r}: use letters, digits, - and _")
    _load(config_path())


def save_mapping(name: str, mapping: SavedMapping) -> Path:
    """Save (or replace) the mapping `name`; return the file written (TOML made by tomli-w)."""
    check_can_save(name)
    path = config_path()
    mappings = _load(path) | {name: mapping}
    document: dict[str, dict[str, object]] = {"mapping": {}}
    for key, entry in sorted(mappings.items()):
        columns: dict[str, object] = {}
        for source, target in entry.overrides:
            known = columns.get(source)
            if known is None:
                columns[source] = target
            else:
                columns[source] = [*(known if isinstance(known, list) else [known]), target]
        table: dict[str, object] = {"kind": entry.kind}
        if entry.preset:
            table["preset"] = entry.preset
        table["columns"] = columns
        document["mapping"][key] = table
    text = tomli_w.dumps(document)
    tomllib.loads(text)  # what is written must read back
    path.parent.mkdir(parents=True, exist_ok=True)
    write_privately(path, lambda stream: stream.write(text))  # 0600, via a fresh scratch file
    return path
