"""`clientkeep --help` and `clientkeep version` import the command tree only: the database
driver, the web framework, the server, password hashing, fuzzy matching and the composition
root are imported by the commands that use them, so every command starts quickly."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlalchemy", "fastapi", "uvicorn", "argon2", "rapidfuzz", "clientkeep.bootstrap")


def _loaded_after(statement: str) -> list[str]:
    probe = (
        f"import sys\n{statement}\n"
        f"print(__import__('json').dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_command_tree_loads_no_heavy_layer() -> None:
    assert _loaded_after("import clientkeep.adapters.cli.main") == []


def test_building_the_help_loads_no_heavy_layer() -> None:
    # Rendering `--help` walks every command's options: their defaults must be light too.
    statement = (
        "from clientkeep.adapters.cli.main import app\n"
        "import typer.main\n"
        "group = typer.main.get_command(app)\n"
        "for name in group.list_commands(None):\n"
        "    group.get_command(None, name)\n"
    )
    assert _loaded_after(statement) == []


def test_the_probe_sees_a_heavy_import() -> None:
    # The check can fail: importing the composition root is seen.
    assert "clientkeep.bootstrap" in _loaded_after("import clientkeep.bootstrap")
