"""The `clientkeep` command line (Typer + Rich)."""
