"""User and imported text is made visible: control characters never reach the terminal."""

from __future__ import annotations

from store.display import visible


def test_plain_text_and_markup_pass_through_unchanged() -> None:
    assert visible("Acme [bold]GmbH[/] — Zürich") == "Acme [bold]GmbH[/] — Zürich"


def test_escape_sequences_and_newlines_become_visible() -> None:
    shown = visible("ok\x1b[2J\nnext\x07")
    assert "\x1b" not in shown and "\n" not in shown and "\x07" not in shown
    assert shown == "ok␛[2J␊next␇"


def test_bidi_overrides_and_zero_width_characters_are_named() -> None:
    assert visible("abc\u202edef\u200b") == "abc<U+202E>def<U+200B>"


def test_tabs_are_kept_and_empty_is_empty() -> None:
    assert visible("a\tb") == "a\tb"
    assert visible(None) == "" and visible("") == ""
