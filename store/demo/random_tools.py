"""Seeded random helpers for the demo book: fast weighted choices and fixed permutations."""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class Choice(Generic[T]):
    """A weighted choice among fixed options: one random number and a bisection per pick."""

    __slots__ = ("_cumulative", "_options", "_random", "_total")

    def __init__(self, rng: random.Random, weighted: Sequence[tuple[T, float]]) -> None:
        self._options = [option for option, _ in weighted]
        running = 0.0
        self._cumulative = []
        for _, weight in weighted:
            running += weight
            self._cumulative.append(running)
        self._total = running
        self._random = rng.random

    def __call__(self) -> T:
        """Pick one option, each with a chance proportional to its weight."""
        return self._options[bisect_right(self._cumulative, self._random() * self._total)]


class Permutation:
    """A fixed pseudo-random order of 0..size-1: an affine map modulo `size`."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.size = size
        step = rng.randrange(size // 3, size)
        while math.gcd(step, size) != 1:
            step += 1
        self._step = step % size or 1
        self._offset = rng.randrange(size)

    def __call__(self, number: int) -> int:
        """The value at position `number` (0 <= number < size) of the order."""
        return (number * self._step + self._offset) % self.size
