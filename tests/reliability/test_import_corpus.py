"""The import corpus of issue 14: files real tools write that once lost or merged rows without a word.

Each case runs the installed `retain` (a subprocess) or the CLI in-process under a frozen clock,
and checks the whole book, not one figure."""

from __future__ import annotations

import json
import os
import random
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from typer.testing import CliRunner

from commands.main import app
from store.display import visible
from tests.reliability.conftest import dump, query, retain

ACCOUNTS = "id,name,stage\nA1,Acme,adoption\nA2,Globex,retention\n"


def _book(tmp_path: Path) -> Path:
    db = tmp_path / "book.db"
    assert retain("init", db=db).returncode == 0
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    done = retain("import", "accounts", str(tmp_path / "accounts.csv"), db=db)
    assert done.returncode == 0, done.stderr
    return db


def test_jsonl_with_fields_that_first_appear_late(tmp_path: Path) -> None:
    db = _book(tmp_path)
    path = tmp_path / "notes.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(2500):
            record = {"account_id": "A1" if n % 2 else "A2", "kind": "note",
                      "occurred_at": f"2024-01-01T00:00:{n % 60:02d}Z", "summary": f"note {n}"}
            if n >= 2400:
                record["author"] = "Dana"
            if n == 2499:
                record["sentiment"] = "positive"
            out.write(json.dumps(record) + "\n")
    done = retain("import", "interactions", str(path), db=db)
    assert done.returncode == 0, done.stderr
    assert query(db, "SELECT count(*), count(author), count(sentiment) FROM interactions") == [
        (2500, 100, 1)]


def test_identical_id_less_rows_are_kept_and_a_reimport_changes_nothing(tmp_path: Path) -> None:
    db = _book(tmp_path)
    answers = tmp_path / "nps.csv"
    answers.write_text("account_id,kind,score,answered_at\n" + "A1,nps,9,2024-05-01\n" * 3
                       + "A1,nps,3,2024-05-01\nA2,nps,10,2024-05-02\n", encoding="utf-8")
    notes = tmp_path / "notes.csv"
    notes.write_text("account_id,kind,occurred_at,summary\n"
                     + "A1,call,2024-05-01T10:00:00Z,Left a message\n" * 2, encoding="utf-8")
    first = retain("import", "surveys", str(answers), "--json", db=db)
    assert json.loads(first.stdout)["files"][0]["new"] == 5
    assert retain("import", "interactions", str(notes), db=db).returncode == 0
    assert query(db, "SELECT count(*) FROM survey_answers WHERE score = 9") == [(3,)]
    assert query(db, "SELECT count(*) FROM interactions") == [(2,)]
    before = dump(db, drop_columns=("updated_at",))
    again = retain("import", "surveys", str(answers), "--json", db=db)
    counts = json.loads(again.stdout)["files"][0]
    assert (counts["new"], counts["updated"], counts["unchanged"]) == (0, 0, 5)
    assert retain("import", "interactions", str(notes), db=db).returncode == 0
    assert dump(db, drop_columns=("updated_at",)) == before


def test_same_day_usage_rows_are_all_kept_and_add_up(tmp_path: Path) -> None:
    db = _book(tmp_path)
    usage = tmp_path / "usage.csv"
    rows = [("A1" if n % 3 else "A2", f"2024-05-{n % 4 + 1:02d}", "export", n % 7)
            for n in range(400)]
    usage.write_text("account_id,used_on,feature,events\n"
                     + "".join(f"{a},{d},{f},{e}\n" for a, d, f, e in rows), encoding="utf-8")
    done = retain("import", "usage", str(usage), "--json", db=db)
    counts = json.loads(done.stdout)["files"][0]
    assert (counts["new"], counts["updated"], counts["unchanged"]) == (400, 0, 0)
    assert query(db, "SELECT count(*), sum(events) FROM usage") == [(400, sum(r[3] for r in rows))]
    again = retain("import", "usage", str(usage), "--json", db=db)
    assert json.loads(again.stdout)["files"][0]["unchanged"] == 400


# -- the same rows with ISO, month-first and day-first dates give the same book ---------------

def _book_rows(seed: int) -> dict[str, list[dict[str, object]]]:
    """A small book of every dated kind; the first rows have days <= 12 (ambiguous)."""
    pick = random.Random(seed)
    start = date(2024, 1, 1)

    def day(n: int) -> date:
        return start + timedelta(days=(n * 37) % 450 if n > 5 else n)  # 2024-01-01..06 first

    accounts, subs, notes, answers, usage, tasks = [], [], [], [], [], []
    for n in range(60):
        key = f"C{n:03d}"
        accounts.append({"id": key, "name": f"Customer {n}", "renewal_on": day(n + 200),
                         "created_at": datetime.combine(day(n), datetime.min.time())
                         + timedelta(hours=n % 24, minutes=n % 60)})
        ends = day(n) + timedelta(days=60 + 5 * n) if n % 3 else None
        subs.append({"id": f"S{n:03d}", "account_id": key, "mrr": f"{10 + n}.50",
                     "started_on": day(n), "ended_on": ends})
        notes.append({"account_id": key, "kind": pick.choice(["call", "email", "note"]),
                      "occurred_at": datetime.combine(day(n + 3), datetime.min.time())
                      + timedelta(hours=9, minutes=n % 60), "summary": "Check-in"})
        answers.append({"account_id": key, "kind": "nps", "score": pick.randint(0, 10),
                        "answered_at": day(n + 5)})
        usage.append({"account_id": key, "used_on": day(n + 1), "feature": "export",
                      "events": pick.randint(0, 50)})
        tasks.append({"account_id": key, "title": "Renewal call", "due_on": day(n + 7)})
    return {"accounts": accounts, "subscriptions": subs, "interactions": notes,
            "surveys": answers, "usage": usage, "tasks": tasks}


def _cell(value: object, style: str) -> str:
    if isinstance(value, datetime):
        if style == "iso":
            return value.strftime("%Y-%m-%dT%H:%M:%SZ")
        first, second = (value.month, value.day) if style == "month" else (value.day, value.month)
        return f"{first}/{second}/{value.year} {value.hour}:{value.minute:02d}"
    if isinstance(value, date):
        if style == "iso":
            return value.isoformat()
        first, second = (value.month, value.day) if style == "month" else (value.day, value.month)
        return f"{first}/{second}/{value.year}"
    return "" if value is None else str(value)


def _import_book(tmp_path: Path, style: str) -> Path:
    folder = tmp_path / style
    folder.mkdir()
    db = folder / "book.db"
    runner = CliRunner()
    with time_machine.travel(datetime(2025, 3, 1, 12, tzinfo=UTC), tick=False):
        assert runner.invoke(app, ["init", "--db", str(db)]).exit_code == 0
        for kind, rows in _book_rows(7).items():
            path = folder / f"{kind}.csv"
            lines = [",".join(rows[0])] + [",".join(_cell(row[c], style) for c in rows[0])
                                           for row in rows]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            result = runner.invoke(app, ["import", kind, str(path), "--db", str(db)])
            assert result.exit_code == 0, (style, kind, result.output)
    return db


def test_month_first_and_day_first_spreadsheet_dates_make_the_same_book(tmp_path: Path) -> None:
    # The playbook tasks the answers start carry new ids (UUIDv7) in each book: compare the
    # rows by what they say, not by those ids.
    generated = ("id", "playbook_run")
    iso_book = _import_book(tmp_path, "iso")
    iso = dump(iso_book, drop_columns=generated)
    statuses = dict(query(iso_book, "SELECT status, count(*) FROM subscriptions GROUP BY status"))
    assert statuses["active"] > 10 and statuses["cancelled"] > 10, statuses
    assert iso["tasks"], "the detractor answers start the shipped playbook in every book"
    assert dump(_import_book(tmp_path, "month"), drop_columns=generated) == iso
    assert dump(_import_book(tmp_path, "day"), drop_columns=generated) == iso


# -- rejects files are never written through a link ----------------------------------------------

def test_a_symlinked_rejects_file_is_left_alone(tmp_path: Path) -> None:
    db = _book(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    path = tmp_path / "in.csv"
    path.write_text("account_id,kind,occurred_at\nA1,note,2024-05-01\nA1,smoke,2024-05-02\n",
                    encoding="utf-8")
    os.symlink(victim, tmp_path / "in.csv.rejects.csv")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "in.csv.rejects-2.csv")  # dangling
    done = retain("import", "interactions", str(path), "--skip-invalid", db=db)
    assert done.returncode == 0, done.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "nowhere.txt").exists()
    written = tmp_path / "in.csv.rejects-3.csv"
    assert "smoke" in written.read_text(encoding="utf-8")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600 and not written.is_symlink()
    assert f"written to {written}" in done.stderr and "was left as it was" in done.stderr


# -- file names with terminal sequences are shown, never obeyed ----------------------------------

HOSTILE_NAMES = {
    "osc52": "clip\x1b]52;c;cm0gLXJmIH4=\x07.csv",
    "bidi": "invoice\u202egpj.csv",
    "tags": "tag\U000e0041\U000e0042.csv",
    "csi": "red\x1b[31mtext\x1b[0m.csv",
}


@pytest.mark.parametrize("name", list(HOSTILE_NAMES.values()), ids=list(HOSTILE_NAMES))
@pytest.mark.parametrize("case", ["summary and nothing-changed", "dry-run", "rejects", "refusal"])
def test_file_names_are_printed_literally(tmp_path: Path, name: str, case: str) -> None:
    db = _book(tmp_path)
    path = tmp_path / name
    bad = "A1,smoke,2024-05-02\n" if case in ("rejects", "refusal") else ""
    path.write_text("account_id,kind,occurred_at\nA1,note,2024-05-01\n" + bad, encoding="utf-8")
    args = {"dry-run": ["--dry-run"], "rejects": ["--skip-invalid"]}.get(case, [])
    runs = [retain("import", "interactions", str(path), *args, db=db)]
    if case == "summary and nothing-changed":
        runs.append(retain("import", "interactions", str(path), db=db))
        assert "nothing changed" in runs[1].stderr
    for done in runs:
        assert done.returncode == (2 if case == "refusal" else 0), done.stderr
        for text in (done.stdout, done.stderr):
            assert not any(char in text for char in ("\x1b", "\x07", "\u202e")), text
        assert visible(str(path)) in done.stdout + done.stderr
