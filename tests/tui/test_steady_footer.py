"""The footer keeps its keys while the focus moves between widgets with the same bindings, and
still follows a change of the keys it shows."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Button

from tui.calm_screen import CalmScreen
from tui.steady_footer import SteadyFooter


class Keys(CalmScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save", "Save"),
        Binding("d", "delete", "Delete"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.can_delete = True

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield SteadyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "delete" or self.can_delete  # False hides the key

    def action_save(self) -> None:
        pass

    def action_delete(self) -> None:
        pass


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Keys())


def _keys(screen: Keys) -> list[Widget]:
    return list(screen.query("FooterKey"))  # the keys the footer draws


async def test_moving_the_focus_keeps_the_footer_and_a_disabled_key_rebuilds_it() -> None:
    app = KeysApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Keys)
        before = _keys(screen)
        assert [key.description for key in before][:2] == ["Save", "Delete"]
        await pilot.press("tab")
        await pilot.pause()
        assert screen.focused is screen.query_one("#two")
        assert _keys(screen) == before  # the same widgets: nothing was recomposed
        screen.can_delete = False
        screen.refresh_bindings()
        await pilot.pause()
        assert "Delete" not in [key.description for key in _keys(screen)]
