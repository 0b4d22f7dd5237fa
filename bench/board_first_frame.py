"""Start `retain --db FILE` in a real pseudo-terminal and time the board's first cards.

The clock starts before the process is spawned (so Python start-up and imports count) and
stops when the name of the first card of the first non-empty column has been written to the
terminal. Then `q` is sent and the exit is awaited.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pysqlite3.dbapi2 as sqlite3

sys.path.insert(0, str(Path(__file__).parent))
from _common import median, retain_executable  # noqa: E402


def first_card_name(path: Path) -> str:
    """The name the board shows first: top MRR in the first stage that has accounts."""
    conn = sqlite3.connect(str(path))
    row = conn.execute(
        "SELECT a.name FROM accounts a JOIN stages s ON s.key = a.stage "
        "ORDER BY s.position, a.mrr_cents DESC, a.id LIMIT 1"
    ).fetchone()
    conn.close()
    return row[0]


def one_run(path: Path, needle: bytes, size: tuple[int, int]) -> float:
    """Seconds from spawn until `needle` appears on the pseudo-terminal."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(retain_executable(), ["retain", "--db", str(path)])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    seen = b""
    elapsed = None
    deadline = started + 60
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        seen = (seen + chunk)[-200_000:]
        if needle in seen:
            elapsed = time.perf_counter() - started
            break
    os.write(fd, b"q")
    end = time.perf_counter() + 10
    while time.perf_counter() < end:  # drain until the app exits
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                if not os.read(fd, 65536):
                    break
            except OSError:
                break
    _reap(pid)
    os.close(fd)
    if elapsed is None:
        raise SystemExit(f"the first card ({needle!r}) never appeared")
    return elapsed


def _reap(pid: int, patience: float = 10.0) -> None:
    """Wait for the app to exit after `q`; kill it if it has not (a key sent during start-up
    can be lost)."""
    deadline = time.perf_counter() + patience
    while time.perf_counter() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    needle = first_card_name(args.db)[:20].encode()
    times = [one_run(args.db, needle, (160, 45)) for _ in range(args.runs)]
    print(f"command: python bench/board_first_frame.py {args.db} --runs {args.runs}")
    print(f"first cards on screen: median {median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} runs)")


if __name__ == "__main__":
    main()
