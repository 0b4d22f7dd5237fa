"""Fixtures shared by every test layer: a throwaway book per test, never the user's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Store


@pytest.fixture(autouse=True)
def _isolated_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point $RETAIN_DB and the data dirs at tmp_path so no test touches a real book."""
    path = tmp_path / "book.db"
    monkeypatch.setenv("RETAIN_DB", str(path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("RETAIN_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("RETAIN_USER", raising=False)
    return path


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    """The path of this test's book (the same file $RETAIN_DB names)."""
    return tmp_path / "book.db"


@pytest.fixture
def store(book_path: Path) -> Iterator[Store]:
    """An empty book with the default (classic) stages, closed after the test."""
    opened = Store.open(book_path)
    yield opened
    opened.close()


@pytest.fixture
def no_playbooks(tmp_path: Path) -> None:
    """A playbooks.toml that turns every shipped playbook off, for tests of other rules."""
    config = tmp_path / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "playbooks.toml").write_text("shipped = false\n", encoding="utf-8")
