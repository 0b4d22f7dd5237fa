"""Stable text ids: UUIDv7 for rows the store creates, deterministic ones for the demo book."""

from __future__ import annotations

import random

from uuid_utils.compat import uuid7


def new_id() -> str:
    """Return a fresh time-ordered UUIDv7 as text (time order keeps B-tree inserts cheap)."""
    return str(uuid7())


class SeededIds:
    """Deterministic, strictly increasing UUIDv7 values for a seeded generator.

    The 48-bit time field counts up from a fixed start so ids sort in creation order (fast
    appends into the primary-key index) and the same seed always yields the same ids.
    """

    def __init__(self, rng: random.Random, start_ms: int) -> None:
        self._rng = rng
        self._ms = start_ms

    def __call__(self) -> str:
        self._ms += 1
        rand_a = self._rng.getrandbits(12)
        rand_b = self._rng.getrandbits(62)
        value = (self._ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
        hex_ = f"{value:032x}"  # formatting by hand: twice as fast as str(uuid.UUID(...))
        return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"
