"""Make user- or import-supplied text safe to show: control characters become visible."""

from __future__ import annotations

import unicodedata

# Bidi overrides and isolates can reorder what follows them on screen; zero-width characters
# hide text. Both are shown as their code point so a reader sees they are there.
_INVISIBLE_FORMAT = {
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
}


def _visible_char(char: str) -> str:
    code = ord(char)
    if char == "\t":
        return char
    if code < 0x20:
        return chr(0x2400 + code)  # ␀..␟, the Unicode "control pictures"
    if code == 0x7F:
        return "\u2421"  # ␡
    if char in _INVISIBLE_FORMAT or unicodedata.category(char) in {"Cc", "Cs", "Co", "Zl", "Zp"}:
        return f"<U+{code:04X}>"
    return char


def visible(text: str | None) -> str:
    """Return `text` with every non-printable character replaced by a visible stand-in.

    Tabs are kept; newlines become ␊ so one value stays on one line. Markup is not touched
    here: callers pass the result to widgets as plain text, never as markup.
    """
    if not text:
        return ""
    if text.isprintable():
        return text
    return "".join(_visible_char(char) for char in text)
