"""Shell completion offers the book's account keys and stage names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import Store
from store.models import Account

RETAIN = Path(sys.executable).parent / "retain"

pytestmark = pytest.mark.skipif(not RETAIN.exists(), reason="retain is not installed here")


def complete(words: str, db: Path) -> list[str]:
    env = {**os.environ, "RETAIN_DB": str(db), "_RETAIN_COMPLETE": "complete_bash",
           "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    result = subprocess.run([str(RETAIN)], capture_output=True, text=True, env=env, timeout=60)
    return result.stdout.split()


def test_account_keys_and_stage_names_complete(store: Store, book_path: Path) -> None:
    for key in ("ACME-1", "ACME-2", "GLOBEX-1"):
        store.add_account(Account(id=key, name=key.title(), stage="adoption"))
    store.close()
    assert complete("retain log ACME", book_path) == ["ACME-1", "ACME-2"]
    assert complete("retain stage ACME-1 re", book_path) == ["retention"]
    assert complete("retain show G", book_path) == ["GLOBEX-1"]


def test_completion_never_creates_a_book(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    assert complete("retain log A", missing) == []
    assert not missing.exists()
