#!/usr/bin/env python3
"""Set up and run clientkeep with nothing but Python 3.11+.

    python3 scripts/dev.py demo    # make .venv, install, start the demo server
    python3 scripts/dev.py test    # make .venv, install, run every check and the test suite
    python3 scripts/dev.py check   # the same checks, without (re)installing
    python3 scripts/dev.py setup   # make .venv, install, fetch axe-core; run nothing

Anything after the command is passed on (to `clientkeep demo` or to pytest).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".clientkeep-installed"
# axe-core, which the browser suite runs on every page it visits, from the npm registry.
AXE_VERSION = "4.14.1"
AXE_DIR = ROOT / ".cache" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


def run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run on an older Python
        sys.exit(f"clientkeep needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pyproject = ROOT / "pyproject.toml"
    if not STAMP.exists() or STAMP.stat().st_mtime < pyproject.stat().st_mtime:
        run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        STAMP.touch()


def ensure_axe() -> None:
    """Install axe-core where the browser suite looks for it, if npm is at hand.

    Without npm (or Chromium) the browser suite skips locally; in CI it fails instead.
    """
    stamp = AXE_DIR / f".axe-core-{AXE_VERSION}"
    if stamp.exists() and AXE_JS.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        print("npm not found: the browser suite will not run its accessibility checks", flush=True)
        return
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    run(npm, "install", "--prefix", AXE_DIR, "--no-audit", "--no-fund", f"axe-core@{AXE_VERSION}")
    stamp.touch()


def checks(pytest_args: list[str]) -> None:
    paths = [p for p in ("src", "tests", "bench", "scripts") if (ROOT / p).is_dir()]
    run(BIN / "ruff", "check", "--no-cache", *paths)
    run(BIN / "ruff", "format", "--no-cache", "--check", *paths)
    run(BIN / "mypy")
    run(BIN / "python", "-m", "pytest", *pytest_args)


def main() -> None:
    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("help", [])
    if command == "demo":
        ensure_venv()
        os.execv(BIN / "clientkeep", [str(BIN / "clientkeep"), "demo", *rest])  # noqa: S606
    elif command == "test":
        ensure_venv()
        ensure_axe()
        checks(rest)
    elif command == "check":
        checks(rest)
    elif command == "setup":
        ensure_venv()
        ensure_axe()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
