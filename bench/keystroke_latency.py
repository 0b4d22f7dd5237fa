"""Keystroke round trip in a real pseudo-terminal: key written -> the app's redraw received.

Starts `retain --db FILE`, waits for the board, then presses a key N times (down on the board;
then Enter to open the first card's account pane and down in its timeline) and, for each
press, times from writing the key until the app has written its redraw (the first output after
the key, then quiet for 30 ms). Reports the median and p90 of the time to the first byte of the
redraw, which is what a person sees first.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import retain_executable  # noqa: E402

QUIET = 0.03


def drain(fd: int, quiet: float = QUIET, limit: float = 5.0) -> float | None:
    """Read until `quiet` seconds pass without output; seconds to the first byte, or None."""
    started = time.perf_counter()
    first = None
    deadline = started + limit
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            if first is not None:
                return first
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the app has exited and closed the terminal
            break
        if not chunk:
            break
        if first is None:
            first = time.perf_counter() - started
    return first


def presses(fd: int, key: bytes, count: int) -> list[float]:
    """Round trips for `count` presses of `key`, in ms."""
    times = []
    for _ in range(count):
        os.write(fd, key)
        elapsed = drain(fd)
        if elapsed is not None:
            times.append(elapsed * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    """Print median and p90."""
    ordered = sorted(times)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    print(f"{label}: median {statistics.median(ordered):.1f} ms, p90 {p90:.1f} ms, "
          f"{len(ordered)} presses")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(retain_executable(), ["retain", "--db", str(args.db)])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
    drain(fd, quiet=1.5, limit=30)  # the first frame and the board's data
    print(f"command: python bench/keystroke_latency.py {args.db} --presses {args.presses}")
    report("board, down", presses(fd, b"j", args.presses))
    report("board, next column", presses(fd, b"l", 6) + presses(fd, b"h", 6))
    os.write(fd, b"\r")
    drain(fd, quiet=1.5, limit=30)  # the account pane and its data
    report("account timeline, down", presses(fd, b"\x1b[B", args.presses))
    os.write(fd, b"\x1b")
    drain(fd, quiet=0.5)
    os.write(fd, b"q")
    drain(fd, quiet=0.5)
    os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
