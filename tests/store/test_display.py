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


def test_every_format_control_separator_and_filler_character_is_shown_as_a_stand_in() -> None:
    """Issue 14 item 25: U+061C, tags, U+2062, U+180E, U+00AD and U+3164 went through raw."""
    import re
    import sys
    import unicodedata

    from store.display import FILLERS, SHOWN_CATEGORIES

    hidden = [chr(code) for code in range(sys.maxunicode + 1)
              if chr(code) != "\t" and (unicodedata.category(chr(code)) in SHOWN_CATEGORIES
                                        or chr(code) in FILLERS)]
    assert len(hidden) > 130_000  # private use and surrogates included
    for char in hidden:
        shown = visible(f"a{char}b")
        assert char not in shown, f"U+{ord(char):04X} ({unicodedata.category(char)}) went through"
        assert shown.startswith("a") and shown.endswith("b")
        stand_in = shown[1:-1]
        assert re.fullmatch(r"<U\+[0-9A-F]{4,6}>|[\u2400-\u2421]", stand_in), stand_in
    for char in "\u061c\U000e0041\u2062\u180e\u00ad\u3164\u115f\u1160\uffa0\u2800":
        assert visible(char) == f"<U+{ord(char):04X}>"


def test_visible_text_is_left_exactly_as_it_was() -> None:
    """Letters, marks, spaces and emoji (with their variation selectors) are not touched."""
    for text in ("Zürich Rück AG", "東京 株式会社", "مرحبا", "e\u0301", "❤\ufe0f", "a\u00a0b"):
        assert visible(text) == text
