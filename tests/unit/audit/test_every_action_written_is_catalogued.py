"""Every action the code writes to the trail has a plain-language name in the catalogue, so
the audit page can offer it as a filter and name it: a new action without one fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import clientkeep
from clientkeep.audit.actions import ACTIONS, READS, action_name

SRC = Path(clientkeep.__file__).parent
# The callables that take an action, and where: entry_for(actor, "x.y"), entry(actor, "x.y")
# (staff's alias of it), records_denials("x.y"), AuditEntry(action="x.y").
POSITION = {"entry_for": 1, "entry": 1, "records_denials": 0, "AuditEntry": None}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = "text": an action is sometimes named once and used by name."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    return found


def actions_written() -> dict[str, str]:
    """Every action literal passed where an audit entry is made: {action: where}."""
    written: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _name(node.func) not in POSITION:
                continue
            position = POSITION[_name(node.func) or ""]
            given = [kw.value for kw in node.keywords if kw.arg == "action"]
            if position is not None and len(node.args) > position:
                given.append(node.args[position])
            for arg in given:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    value = arg.value
                elif isinstance(arg, ast.Name) and arg.id in constants:
                    value = constants[arg.id]
                else:
                    continue  # a variable passed along (the action comes from its caller)
                written[value] = f"{path.relative_to(SRC)}:{node.lineno}"
    return written


def test_the_scan_finds_the_actions_of_every_kind_of_call() -> None:
    written = actions_written()
    # One of each way of writing an action, so a scan that finds nothing cannot pass.
    assert {"customer.read", "staff.sign_in", "auth.failed", "audit.read"} <= set(written)
    assert "review.duplicate_dismissed" in written  # a records_denials and an entry_for
    assert len(written) >= 20


def test_every_action_written_has_a_plain_language_name() -> None:
    missing = {a: where for a, where in actions_written().items() if a not in ACTIONS}
    assert missing == {}, f"add these to clientkeep/audit/actions.py: {missing}"


def test_names_read_as_plain_language_and_reads_are_catalogued() -> None:
    assert action_name("customer.read") == "Read a customer record"
    assert action_name("customer.updated").startswith("Corrected a customer record")
    assert action_name("old.action") == "old.action"
    assert set(READS) <= set(ACTIONS)
    assert len(set(ACTIONS.values())) == len(ACTIONS)
