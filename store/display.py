"""Make user- or imported text safe to show: control and invisible characters become visible."""

from __future__ import annotations

import re
import unicodedata

SHOWN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
"""Controls, format characters (bidi marks and overrides, zero-width characters, the soft
hyphen, tag characters), surrogates, private use and the line/paragraph separators: each can
reorder, hide or drive what is on screen, so each is shown as its code point."""

FILLERS = frozenset({
    "\u115f", "\u1160", "\u3164", "\uffa0",  # Hangul fillers: letters that draw nothing
    "\u2800",  # Braille pattern blank: a "letter" used for names that look empty
    "\u17b4", "\u17b5",  # Khmer inherent vowels: invisible, and not meant to be used
    "\u034f",  # combining grapheme joiner: invisible
})
"""Characters outside those categories that draw nothing (used to fake blank or equal names)."""

_FILLER_PATTERN = re.compile("[" + "".join(sorted(FILLERS)) + "]")


def _visible_char(char: str) -> str:
    code = ord(char)
    if char == "\t":
        return char
    if code < 0x20:
        return chr(0x2400 + code)  # ␀..␟, the Unicode "control pictures"
    if code == 0x7F:
        return "\u2421"  # ␡
    if char in FILLERS or unicodedata.category(char) in SHOWN_CATEGORIES:
        return f"<U+{code:04X}>"
    return char


def visible(text: str | None) -> str:
    """Return `text` with every control or invisible character replaced by a visible stand-in.

    Tabs are kept; newlines become ␊ so one value stays on one line; format characters
    (category Cf), separators and known fillers become `<U+XXXX>`. Markup is not touched
    here: callers pass the result to widgets as plain text, never as markup.
    """
    if not text:
        return ""
    if text.isprintable() and not _FILLER_PATTERN.search(text):
        return text
    return "".join(_visible_char(char) for char in text)
