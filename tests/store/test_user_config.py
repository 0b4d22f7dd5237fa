"""A person's own preferences live in their config.toml, written safely, never in the book."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from store import InvalidInput
from store.user_config import (
    author,
    change_user_setting,
    config_path,
    load_user_config,
    me,
)


def test_me_is_saved_0600_and_read_back() -> None:
    assert me() is None
    change_user_setting("me", "Zoë O'Brien")
    assert load_user_config().me == "Zoë O'Brien" and me() == "Zoë O'Brien"
    assert stat.S_IMODE(config_path().stat().st_mode) == 0o600
    assert author() == "Zoë O'Brien"


def test_retain_user_overrides_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    change_user_setting("me", "Maya Chen")
    monkeypatch.setenv("RETAIN_USER", "  Sam   Lee ")
    assert me() == "Sam Lee"


def test_without_a_name_the_author_is_the_login_and_me_is_unset() -> None:
    assert me() is None
    assert author()  # the OS login name


def test_a_symlink_in_the_way_is_replaced_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("me = \"Precious\"\n")
    config_path().parent.mkdir(parents=True)
    os.symlink(target, config_path())
    change_user_setting("theme", "gruvbox")
    assert target.read_text() == "me = \"Precious\"\n"
    assert not config_path().is_symlink() and load_user_config().theme == "gruvbox"


def test_a_broken_file_is_reported_with_its_path() -> None:
    config_path().parent.mkdir(parents=True)
    config_path().write_text("me = [")
    with pytest.raises(InvalidInput, match="config.toml: not valid TOML"):
        load_user_config()
    assert author()  # logging still works: the name falls back to the login


@pytest.mark.parametrize(("key", "value"), [("me", ""), ("keys", "x"), ("colour", "red")])
def test_bad_personal_values_are_refused(key: str, value: object) -> None:
    with pytest.raises(InvalidInput):
        change_user_setting(key, value)
    assert not config_path().exists()
