"""retain's command line: typer commands over the store (the TUI is imported only to open it)."""
