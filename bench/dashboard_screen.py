"""Time the KPI dashboard screen on a big book: first paint, values, trends, key latency.

Drives the app headless with Textual's Pilot (the dashboard has no start-up flag to open it
from a pseudo-terminal): the clock starts when the screen is pushed. "First paint" is the
screen composed and laid out with every tile showing its placeholder; "values" is every tile
showing its figure; "all" is every sparkline, the charts and the cohort map in. While the
worker runs, a key (`right`, moving the focus to the next tile) is posted to the app every
50 ms and the time until the frame after the focus moved is written is recorded: the UI stays
live when that stays small.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from textual import events

from store import Store
from store.clock import utc_now
from store.kpis.filters import BookFilter
from store.kpis.periods import parse_period
from tui.app import RetainApp
from tui.dashboard_screen import DashboardScreen
from tui.kpi_tile import LOADING


async def one_run(path: Path, period: str, segment: str | None, keys: bool) -> dict[str, float]:
    """Seconds from pushing the screen to each milestone, and key latencies while loading."""
    store = Store.open(path)
    app = RetainApp(store)
    figures: dict[str, float] = {}
    latencies: list[float] = []
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the board underneath, out of the way
        await pilot.pause()
        chosen = parse_period(period, utc_now().date())
        started = time.perf_counter()
        screen = DashboardScreen(store, chosen, BookFilter(segment=segment))
        painted: list[tuple[float, bool]] = []
        frames: list[float] = []
        display = app._display

        def timed_display(shown, update):  # type: ignore[no-untyped-def]
            # The compositor's frames of the dashboard, as written to the terminal.
            if shown is screen:
                if not painted:
                    painted.append((time.perf_counter(),
                                    screen.tiles[0].shown_value == LOADING))
                frames.append(time.perf_counter())
            return display(shown, update)

        app._display = timed_display  # type: ignore[method-assign]
        app.push_screen(screen)
        # Polled with asyncio.sleep, not pilot.pause(): Pilot waits for the whole process to
        # be idle, worker threads included, which would time the worker rather than the UI.
        while not painted:
            await asyncio.sleep(0.001)
        figures["placeholders"] = float(painted[0][1])
        figures["first_paint"] = painted[0][0] - started

        async def milestones() -> None:
            while screen.values_pending:
                await asyncio.sleep(0.002)
            figures["values"] = time.perf_counter() - started
            while screen.trends_pending:
                await asyncio.sleep(0.002)
            figures["all"] = time.perf_counter() - started

        watcher = asyncio.create_task(milestones())
        while keys and (screen.values_pending or screen.trends_pending):
            tiles = screen.tiles
            before = screen.focused
            key = "right" if tiles.index(before) < len(tiles) - 1 else "left"
            pressed = time.perf_counter()
            app.post_message(events.Key(key, None))
            while screen.focused is before:
                await asyncio.sleep(0.001)
            moved = time.perf_counter()
            # ... and until the frame showing the new focus has been written
            while not frames or frames[-1] < moved:
                await asyncio.sleep(0.001)
            latencies.append(frames[-1] - pressed)
            await asyncio.sleep(0.05)
        await watcher
    store.close()
    figures["keys"] = len(latencies)
    figures["key_median"] = statistics.median(latencies) if latencies else 0.0
    figures["key_max"] = max(latencies, default=0.0)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--period", default="last-month")
    parser.add_argument("--segment")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-keys", action="store_true",
                        help="press nothing while computing (times the worker alone)")
    args = parser.parse_args()
    runs = [asyncio.run(one_run(args.db, args.period, args.segment, not args.no_keys))
            for _ in range(args.runs)]
    command = " ".join(["python", "bench/dashboard_screen.py", *sys.argv[1:]])
    print(f"command: {command}")
    print(f"placeholders on the first paint: {[bool(run['placeholders']) for run in runs]}")
    for key, label in (("first_paint", "first frame of the dashboard"),
                       ("values", "every value in"), ("all", "every trend and chart in"),
                       ("key_median", "key latency while computing, median"),
                       ("key_max", "key latency while computing, max")):
        values = [run[key] for run in runs]
        print(f"{label}: median {statistics.median(values) * 1000:.0f} ms "
              f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}, {args.runs} runs)")
    print(f"keys pressed while computing: {[int(run['keys']) for run in runs]}")


if __name__ == "__main__":
    main()
