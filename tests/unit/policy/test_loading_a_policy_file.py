"""Loading a policy from a file: a missing or unreadable file is a PolicyInvalid, not a crash."""

from __future__ import annotations

import pytest

from clientkeep.policy import PolicyInvalid, load_policy
from tests.unit.policy.conftest import DEFAULT_TEXT, edited


def test_a_missing_file_is_reported_as_one_problem(tmp_path) -> None:
    with pytest.raises(PolicyInvalid) as caught:
        load_policy(tmp_path / "nowhere.toml")
    [problem] = caught.value.problems
    assert problem.location == "file"
    assert "cannot read the policy" in problem.message


def test_a_file_that_is_not_text(tmp_path) -> None:
    path = tmp_path / "policy.toml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(PolicyInvalid):
        load_policy(path)


def test_a_copy_of_the_default_loads_from_anywhere(tmp_path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(edited(('name = "Example Trading Ltd"', 'name = "Acme Ltd"')))
    assert load_policy(path).controller.name == "Acme Ltd"


def test_an_invalid_file_names_itself(tmp_path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(DEFAULT_TEXT.replace("min_matches = 2", "min_matches = 0"))
    with pytest.raises(PolicyInvalid) as caught:
        load_policy(path)
    assert caught.value.source == str(path)
    assert [p.location for p in caught.value.problems] == ["verification.knowledge.min_matches"]
