"""Helpers shared by the benchmark scripts: the installed `retain`, medians, RSS."""

from __future__ import annotations

import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path


def retain_executable() -> str:
    """The `retain` script installed beside this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "retain"
    found = str(beside) if beside.exists() else shutil.which("retain")
    if not found:
        sys.exit("retain is not installed: pip install -e . first")
    return found


def median(values: list[float]) -> float:
    """The median of the measurements."""
    return statistics.median(values)


def timed_ms(function: Callable[[], object], runs: int = 3) -> float:
    """Median wall time of `runs` calls of `function`, in ms."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return median(times)


def children_peak_rss_mb() -> float:
    """Peak resident memory of the largest finished child process, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
