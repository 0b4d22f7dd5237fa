"""A Screen whose focus changes repaint only the widgets that gain and lose the focus."""

from __future__ import annotations

from typing import TypeVar

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

ResultT = TypeVar("ResultT")


class CalmScreen(Screen[ResultT]):
    """Textual's Screen repaints the whole screen each time the focus moves (its `focused`
    reactive repaints); the widgets that gain and lose the focus already restyle and repaint
    themselves. On the dashboard's forty tiles that full repaint was most of an arrow key."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
