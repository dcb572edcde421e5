"""Turning a TOML policy file into a ``Policy``, or into the full list of what is wrong with it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import TypeVar

from clientkeep.policy._frozen import FrozenMap
from clientkeep.policy._read_access import (
    read_customer_reference,
    read_roles,
    read_staff,
    read_staleness,
    read_verification,
)
from clientkeep.policy._read_complaints import read_complaints
from clientkeep.policy._read_data import read_controller, read_fields, read_purposes
from clientkeep.policy._read_parts import read_default_purpose, read_field_roles
from clientkeep.policy._reader import Problems, Section
from clientkeep.policy.errors import PolicyInvalid, PolicyProblem
from clientkeep.policy.model import Policy

T = TypeVar("T")
_WHERE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def default_policy_path() -> Path:
    """The policy shipped with clientkeep: a complete default for a UK small business."""
    return Path(__file__).parent / "default.toml"


def load_policy(path: Path | None = None) -> Policy:
    path = default_policy_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise PolicyInvalid(
            [PolicyProblem("file", f"cannot read the policy: {reason}")], source=str(path)
        ) from None
    return parse_policy(text, source=str(path))


def parse_policy(text: str, *, source: str = "<policy>") -> Policy:
    """The policy ``text`` declares; ``PolicyInvalid`` lists every problem if it has any."""
    problems = Problems()
    policy = _read(text, problems)
    if problems.found or policy is None:
        raise PolicyInvalid(problems.found or [PolicyProblem("", "not a policy")], source=source)
    return policy


def check_policy(text: str, *, source: str = "<policy>") -> list[PolicyProblem]:
    """Every problem with the policy ``text``; an empty list means it is valid."""
    problems = Problems()
    _read(text, problems)
    return problems.found


def _read(text: str, problems: Problems) -> Policy | None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.add(*_syntax_problem(str(exc), text))
        return None
    doc = Section(data, "", problems)
    version = doc.text("version")
    controller = read_controller(doc)
    fields = read_fields(doc)
    purposes = read_purposes(doc, fields)
    roles = read_roles(doc, purposes)
    verification = read_verification(doc, fields, purposes)
    staleness = read_staleness(doc, fields)
    staff = read_staff(doc)
    reference = read_customer_reference(doc)
    field_roles = read_field_roles(doc, fields)
    default_purpose = read_default_purpose(doc, purposes)
    complaints = read_complaints(doc, purposes, field_roles)
    doc.finish()
    used = {name for p in purposes.values() if p for name in p.fields}
    if all(purposes.values()):
        for name in fields:
            if name not in used:
                problems.add(
                    f"fields.{name}",
                    "no purpose uses this field: data with no purpose must not be collected",
                )
    # With no problem recorded, every reader returned a whole value.
    if (
        problems.found
        or not (version and controller and staleness and staff and reference)
        or not (field_roles and default_purpose)
    ):
        return None
    return Policy(
        version=version,
        controller=controller,
        fields=FrozenMap(_whole(fields)),
        purposes=FrozenMap(_whole(purposes)),
        roles=FrozenMap(_whole(roles)),
        verification=FrozenMap(_whole(verification)),
        staleness=staleness,
        staff=staff,
        customer_reference=reference,
        field_roles=field_roles,
        default_purpose=default_purpose,
        complaints=complaints,
    )


def _whole(found: dict[str, T | None]) -> dict[str, T]:
    return {name: value for name, value in found.items() if value is not None}


def _syntax_problem(message: str, text: str) -> tuple[str, str]:
    match = _WHERE.search(message)
    if match is None:
        return "syntax", message
    reason = message[: match.start()]
    if match.group(1):
        return f"line {match.group(1)}, column {match.group(2)}", f"TOML syntax: {reason}"
    return f"line {text.count(chr(10)) + 1}", f"TOML syntax: {reason} at the end of the file"
