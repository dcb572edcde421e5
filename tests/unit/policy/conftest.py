"""The shipped policy, and a way to break one thing in it at a time."""

from __future__ import annotations

import pytest

from clientkeep.policy import Policy, PolicyProblem, check_policy, load_policy
from clientkeep.policy.loader import default_policy_path

DEFAULT_TEXT = default_policy_path().read_text(encoding="utf-8")


def edited(*changes: tuple[str, str]) -> str:
    """The default policy with each ``old`` text (which must occur once) replaced by ``new``."""
    text = DEFAULT_TEXT
    for old, new in changes:
        assert text.count(old) == 1, f"expected exactly one {old!r} in the default policy"
        text = text.replace(old, new)
    return text


def problems_of(*changes: tuple[str, str]) -> dict[str, str]:
    """{location: message} of every problem in the edited default."""
    found: list[PolicyProblem] = check_policy(edited(*changes))
    return {p.location: p.message for p in found}


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()
