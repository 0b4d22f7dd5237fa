"""The base of every screen: focus changes repaint only the widgets that gain and lose the
focus, and failed workers are reported by the app (`tui.worker_errors`)."""

from __future__ import annotations

from typing import TypeVar

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

from tui.worker_errors import ForwardWorkerErrors

ResultT = TypeVar("ResultT")


class CalmScreen(ForwardWorkerErrors, Screen[ResultT]):
    """Textual's Screen repaints the whole screen each time the focus moves (its `focused`
    reactive repaints); the widgets that gain and lose the focus already restyle and repaint
    themselves. On the dashboard's forty tiles that full repaint was most of an arrow key."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
