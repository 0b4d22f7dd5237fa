"""Pass two of an import: upsert the spooled rows in one transaction and count what changed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from store.ids import new_id
from store.imports.kinds import Kind
from store.imports.reading import ReadResult, spooled

_CHUNK = 500


@dataclass
class Counts:
    """What writing one file did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    stage_moves: int = 0


def upsert_sql(kind: Kind, provided: set[str]) -> str:
    """INSERT ... ON CONFLICT(id) DO UPDATE of the file's fields, only where one differs."""
    columns = kind.columns
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    compare = [c for c in columns if c in provided and c != "id"
               and not (c == "updated_at" and "updated_at" not in provided)]
    if kind.name == "accounts":
        compare = [c for c in compare if c not in ("stage_entered_at",)] + (
            ["stage_entered_at"] if "stage_entered_at" in provided else [])
        if "stage" not in compare:
            compare.append("stage")
    sql = f"INSERT INTO {kind.table} ({names}) VALUES ({marks}) ON CONFLICT(id) DO "
    if not compare:
        return sql + "NOTHING"
    sets = [f"{c} = excluded.{c}" for c in compare]
    if "updated_at" not in compare and "updated_at" in columns:
        sets.append("updated_at = excluded.updated_at")
    if kind.name == "accounts" and "stage_entered_at" not in compare:
        sets.append("stage_entered_at = CASE WHEN stage IS NOT excluded.stage "
                    "THEN excluded.stage_entered_at ELSE stage_entered_at END")
    where = " OR ".join(f"{c} IS NOT excluded.{c}" for c in compare)
    return sql + f"UPDATE SET {', '.join(sets)} WHERE {where}"


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _account_stages(conn: Any, batch: list[tuple[Any, ...]], kind: Kind, default_stage: str,
                    now: str, provided: set[str]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Fill unknown stages from the book and list the stage moves the batch implies.

    An account's first move with no history before it (an account that came from an import)
    also records its entry into the stage it leaves, at the time it entered it: that time is
    overwritten by the move, and stage analytics would lose where the account had been.
    """
    columns = kind.columns
    id_at, stage_at, entered_at = (columns.index(n) for n in ("id", "stage", "stage_entered_at"))
    stored: dict[str, tuple[str, str, bool]] = {}
    for chunk in _chunks([row[id_at] for row in batch]):
        marks = ", ".join("?" for _ in chunk)
        for key, *known in conn.execute(
                "SELECT a.id, a.stage, a.stage_entered_at, EXISTS (SELECT 1 FROM stage_history h "
                f"WHERE h.account_id = a.id) FROM accounts a WHERE a.id IN ({marks})", chunk):
            stored[key] = (known[0], known[1], bool(known[2]))
    rows: list[tuple[Any, ...]] = []
    moves: list[tuple[Any, ...]] = []
    for row in batch:
        before, since, has_history = stored.get(row[id_at], (None, None, True))
        stage = row[stage_at]
        if stage is None:
            stage = before or default_stage
            row = row[:stage_at] + (stage,) + row[stage_at + 1:]
        if before is not None and before != stage:
            moved_at = row[entered_at] if "stage_entered_at" in provided else now
            if not has_history and since is not None and since < moved_at:
                moves.append((new_id(), row[id_at], None, before, since, None, "import", now))
            moves.append((new_id(), row[id_at], before, stage, moved_at, None, "import", now))
        rows.append(row)
    return rows, moves


def write_file(conn: Any, result: ReadResult, kind: Kind, default_stage: str, now: str,
               progress: Any = None) -> Counts:
    """Upsert one file's spooled rows inside the caller's transaction; count what changed."""
    counts = Counts()
    sql = upsert_sql(kind, result.provided)
    table = kind.table
    before = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    changed = 0
    done = 0
    for _lines, batch in spooled(result):
        if kind.name == "accounts":
            batch, moves = _account_stages(conn, batch, kind, default_stage, now, result.provided)
            if moves:
                conn.executemany(
                    "INSERT INTO stage_history (id, account_id, from_stage, to_stage, moved_at, "
                    "reason, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", moves)
                counts.stage_moves += sum(1 for move in moves if move[2] is not None)
        changed += conn.executemany(sql, batch).rowcount  # rows written, not trigger writes
        done += len(batch)
        if progress is not None:
            progress("write", done, done, result.valid)
    after = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    counts.new = after - before
    counts.updated = changed - counts.new
    counts.unchanged = result.valid - changed
    return counts


def create_accounts(conn: Any, missing: dict[str, str], default_stage: str, now: str,
                    *, record_entry: bool = True) -> int:
    """Add the placeholder accounts --create-accounts asked for (name = key unless known).

    Their entry into `default_stage` is recorded now, unless the import is of stage history
    (`record_entry` False): that history says where they were, and a move dated today would
    outrank it as their latest.
    """
    rows = [(key, name, default_stage, now, now, now) for key, name in missing.items()]
    conn.executemany(
        "INSERT OR IGNORE INTO accounts (id, name, stage, stage_entered_at, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?)", rows)
    if record_entry:
        conn.executemany(
            "INSERT INTO stage_history (id, account_id, from_stage, to_stage, moved_at, reason, "
            "source, updated_at) VALUES (?, ?, NULL, ?, ?, NULL, 'import', ?)",
            [(new_id(), key, default_stage, now, now) for key in missing])
    return len(rows)
