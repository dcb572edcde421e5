"""Checking a policy lists every problem at once, each with where it is."""

from __future__ import annotations

import pytest

from clientkeep.policy import PolicyInvalid, check_policy, parse_policy
from tests.unit.policy.conftest import edited

THREE_MISTAKES = (
    ('lawful_basis = "consent"', 'lawful_basis = "because"'),
    ('category = "special"', 'category = "secret"'),
    ("min_matches = 2", "min_matches = 0"),
)


def test_three_mistakes_give_three_located_problems() -> None:
    locations = {p.location for p in check_policy(edited(*THREE_MISTAKES))}
    assert {
        "purposes.marketing.lawful_basis",
        "fields.accessibility_needs.category",
        "verification.knowledge.min_matches",
    } <= locations


def test_parse_policy_raises_with_every_problem_listed() -> None:
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(edited(*THREE_MISTAKES), source="mine.toml")
    assert len(caught.value.problems) == len(check_policy(edited(*THREE_MISTAKES)))
    assert len(caught.value.problems) >= 3
    assert caught.value.source == "mine.toml"
    assert "mine.toml" in caught.value.message


def test_an_empty_file_reports_each_missing_section() -> None:
    problems = check_policy("")
    assert {p.location for p in problems} == {"(top level)"}
    assert [p.message for p in problems] == [
        f"missing key {key!r}"
        for key in (
            "version",
            "controller",
            "fields",
            "purposes",
            "roles",
            "verification",
            "staleness",
            "staff",
            "customer_reference",
            "field_roles",
            "default_purpose",
        )
    ]


def test_a_valid_policy_has_no_problems() -> None:
    assert check_policy(edited()) == []
