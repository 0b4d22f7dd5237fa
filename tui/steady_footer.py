"""A Footer that rebuilds its keys only when the keys it shows have changed."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


def shown_bindings(screen: Screen[Any]) -> tuple[tuple[object, ...], ...]:
    """What a footer on `screen` draws from: each active binding's key, text, action and state
    (hidden ones too: the command palette's key is drawn from one)."""
    return tuple(
        (binding.key, binding.key_display, binding.description, binding.action, binding.show,
         enabled, tooltip, binding.group)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
    )


class SteadyFooter(Footer):
    """Textual's Footer recomposes every key on each focus change (~50 widgets restyled, the
    bulk of an arrow key's cost on a screen of focusable tiles). This one keeps its keys when
    the focus moves between widgets that offer the same bindings."""

    _shown: tuple[tuple[object, ...], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not screen.app.app_focus or not (self.is_attached and screen is self.screen):
            super().bindings_changed(screen)
            return
        shown = shown_bindings(screen)
        if shown == self._shown and self._bindings_ready:
            return
        self._shown = shown
        super().bindings_changed(screen)
