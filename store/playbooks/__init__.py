"""Playbooks: steps that become tasks when a trigger fires (see definitions and firing)."""

from store.playbooks.definitions import (
    FILENAME,
    Playbook,
    PlaybookCache,
    PlaybookSet,
    Step,
    Trigger,
    load_playbooks,
    playbooks_path,
)
from store.playbooks.firing import STALE_DAYS, Fired, describe

__all__ = [
    "FILENAME", "STALE_DAYS", "Fired", "Playbook", "PlaybookCache", "PlaybookSet", "Step",
    "Trigger", "describe", "load_playbooks", "playbooks_path",
]
