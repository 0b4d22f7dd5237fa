"""retain's Textual face: screens and widgets that present the store; no SQL here."""
