"""A Footer that puts each screen's essential keys first, always shows `?` and the palette, and
rebuilds its keys only when the keys it shows have changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PINNED_KEYS = ("app.keys",)
"""Binding ids shown at the footer's right edge, beside the palette's key, on every screen."""

ESSENTIAL_APP_KEYS = ("app.open", "app.log", "app.triage", "app.dashboard", "app.quit")
"""App-wide keys shown right after a screen's own essentials, before its other keys."""


def shown_bindings(screen: Screen[Any]) -> tuple[tuple[object, ...], ...]:
    """What a footer on `screen` draws from: each active binding's key, text, action and state
    (hidden ones too: the command palette's key is drawn from one)."""
    return tuple(
        (binding.key, binding.key_display, binding.description, binding.action, binding.show,
         enabled, tooltip, binding.group)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
    )


def footer_order(screen: Screen[Any]) -> list[tuple[Binding, bool, str]]:
    """The keys a footer shows, one per action: the screen's FOOTER_FIRST ids in that order,
    then the essential app keys, then the rest as Textual orders them (focused widget first,
    then the screen's, then the app's: all of them in that order without FOOTER_FIRST)."""
    first: tuple[str, ...] = getattr(screen, "FOOTER_FIRST", ())
    ranking = [*first, *(key for key in ESSENTIAL_APP_KEYS if key not in first)] if first else []
    seen: set[str] = set()
    shown = []
    for _node, binding, enabled, tooltip in screen.active_bindings.values():
        if binding.show and binding.action not in seen and binding.id not in PINNED_KEYS:
            seen.add(binding.action)
            shown.append((binding, enabled, tooltip))

    def rank(entry: tuple[Binding, bool, str]) -> int:
        binding_id = entry[0].id
        return ranking.index(binding_id) if binding_id in ranking else len(ranking)

    return sorted(shown, key=rank)


class SteadyFooter(Footer):
    """Textual's Footer lists keys in binding order and cuts what does not fit, so at 100
    columns `?` and the screen's main keys fell off. This one orders them by what matters
    (`FOOTER_FIRST` on the screen), pins `?` and the palette to the right edge, and keeps its
    keys when the focus moves between widgets that offer the same bindings (Textual's
    recomposes ~50 widgets on each focus change, the bulk of an arrow key's cost)."""

    DEFAULT_CSS = """
    SteadyFooter .footer-pinned {
        dock: right;
        width: auto;
        border-left: vkey $foreground 20%;
    }
    SteadyFooter .footer-pinned FooterKey { margin-right: 0; padding-right: 1; }
    """

    _shown: tuple[tuple[object, ...], ...] | None = None

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        for binding, enabled, tooltip in footer_order(self.screen):
            yield self._key(binding, enabled, tooltip or "")
        with HorizontalGroup(classes="footer-pinned"):
            yield from self._pinned()

    def _pinned(self) -> Iterator[FooterKey]:
        active = self.screen.active_bindings
        for _node, binding, enabled, tooltip in active.values():
            # A dialog's fields take `?` as text: the key would not do what it says there.
            if binding.id in PINNED_KEYS and not isinstance(self.screen, ModalScreen):
                yield self._key(binding, enabled, tooltip or "")
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                _node, binding, enabled, _tooltip = palette
                yield self._key(binding, enabled, binding.tooltip or binding.description)

    def _key(self, binding: Binding, enabled: bool, tooltip: str) -> FooterKey:
        return FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                         binding.action, disabled=not enabled,
                         tooltip=tooltip).data_bind(compact=Footer.compact)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not screen.app.app_focus or not (self.is_attached and screen is self.screen):
            super().bindings_changed(screen)
            return
        shown = shown_bindings(screen)
        if shown == self._shown and self._bindings_ready:
            return
        self._shown = shown
        super().bindings_changed(screen)
