"""Allow `python -m commands`."""

from commands.main import run

run()
