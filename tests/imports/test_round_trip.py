"""`retain export KIND` then `retain import KIND` into an empty book gives the same export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from store import Store
from store.demo import generate_demo

ORDER = ("accounts", "contacts", "subscriptions", "interactions", "surveys", "usage",
         "acquisition", "spend", "stages", "tasks")
"""Owners before what they own: each kind's foreign keys are in place when it arrives."""


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_every_kind_round_trips(cli, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    original, copy = tmp_path / "original.db", tmp_path / "copy.db"
    with Store.open(original) as store:
        generate_demo(store, accounts=60, seed=11, as_of=date.today())
    exported: dict[str, str] = {}
    for kind in ORDER:
        path = tmp_path / f"{kind}.{fmt}"
        result = cli("export", kind, "--format", fmt, "--output", str(path), "--db", str(original))
        assert result.exit_code == 0, result.output
        exported[kind] = path.read_text(encoding="utf-8")
    assert len(exported["interactions"].splitlines()) > 100
    assert cli("init", "--db", str(copy)).exit_code == 0
    for kind in ORDER:
        result = cli("import", kind, str(tmp_path / f"{kind}.{fmt}"), "--db", str(copy))
        assert result.exit_code == 0, f"{kind}: {result.output}"
    for kind in ORDER:
        again = tmp_path / f"again-{kind}.{fmt}"
        assert cli("export", kind, "--format", fmt, "--output", str(again), "--db", str(copy)).exit_code == 0
        assert again.read_text(encoding="utf-8") == exported[kind], kind


def test_formula_guards_and_lists_are_undone(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from store.models import Account

    original, copy = tmp_path / "original.db", tmp_path / "copy.db"
    with Store.open(original) as store:
        store.add_account(Account(id="A-1", name="=HYPERLINK(\"x\")", stage="adoption",
                                  owner="-dash", tags=["gold", "renewal 2025"]))
    exported = tmp_path / "accounts.csv"
    cli("export", "accounts", "--output", str(exported), "--db", str(original))
    assert "'=HYPERLINK" in exported.read_text(encoding="utf-8")
    assert cli("init", "--db", str(copy)).exit_code == 0
    assert cli("import", "accounts", str(exported), "--db", str(copy)).exit_code == 0
    with Store.open(copy) as store:
        account = store.get_account("A-1")
    assert (account.name, account.owner, account.tags) == ('=HYPERLINK("x")', "-dash",
                                                           ["gold", "renewal 2025"])


def test_export_and_import_know_the_same_kinds() -> None:
    from store.imports.kinds import KINDS as IMPORT_KINDS
    from store.rows import KIND_MODELS

    assert {name: kind.model for name, kind in IMPORT_KINDS.items()} == KIND_MODELS
