"""kill -9 during `retain import`: the file stays sound, holds all of the import or none, and a
re-run gives the same book as an uninterrupted import."""

from __future__ import annotations

import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    RETAIN,
    dump,
    integrity,
    interactions_csv,
    popen,
    query,
    retain,
)

pytestmark = pytest.mark.skipif(not RETAIN.exists(), reason="retain is not installed here")

SEED = 20261124
VOLATILE_COLUMNS = ("updated_at",)
"""`updated_at` of imported rows is the wall-clock time of the import run, so two equal imports
differ there; every other column (ids are hashes of the row's content) must match exactly."""


def _book_rows(db: Path) -> int:
    return query(db, "SELECT count(*) FROM interactions")[0][0]


def _kill_and_rerun(seeded: Path, tmp_path: Path, rows: int, runs: int) -> list[str]:
    source = interactions_csv(tmp_path / "big.csv", rows)
    pristine = tmp_path / "pristine.db"
    shutil.copy(seeded, pristine)
    # The reference: the same import, never interrupted, on a copy of the same book.
    reference = tmp_path / "reference.db"
    shutil.copy(pristine, reference)
    started = time.monotonic()
    done = retain("import", "interactions", str(source), db=reference)
    full = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    expected = dump(reference, drop_columns=VOLATILE_COLUMNS)
    assert len(expected["interactions"]) == rows

    rng = random.Random(SEED)
    outcomes = []
    for run in range(runs):
        victim = tmp_path / f"victim-{run}.db"
        shutil.copy(pristine, victim)
        # Stratified: one point in each slice of 10%..110% of an uninterrupted run, so the
        # kills fall in start-up, reading, writing, and around or after the commit.
        delay = full * (0.1 + (run + rng.random()) / runs)
        proc = popen("import", "interactions", str(source), db=victim)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        assert integrity(victim) == "ok"
        held = _book_rows(victim)
        assert held in (0, rows), f"run {run}: {held} of {rows} rows after kill -9 at {delay:.2f}s"
        outcomes.append(f"{delay:.2f}s:{'all' if held else 'none'}")
        again = retain("import", "interactions", str(source), db=victim)
        assert again.returncode == 0, again.stderr
        assert "Traceback" not in again.stderr
        assert dump(victim, drop_columns=VOLATILE_COLUMNS) == expected
        assert integrity(victim) == "ok"
        for leftover in tmp_path.glob(f"victim-{run}.db*"):
            leftover.unlink()
    return outcomes


def test_kill_9_during_an_import_leaves_all_or_nothing_and_a_rerun_completes(
    seeded: Path, tmp_path: Path
) -> None:
    outcomes = _kill_and_rerun(seeded, tmp_path, 50_000, runs=5)
    print("kill points:", outcomes)


@pytest.mark.slow
def test_kill_9_during_a_million_row_import(seeded: Path, tmp_path: Path) -> None:
    outcomes = _kill_and_rerun(seeded, tmp_path, 1_000_000, runs=3)
    print("kill points (1M):", outcomes)
