"""The `sciatica` command: thin Typer shells over the services."""
