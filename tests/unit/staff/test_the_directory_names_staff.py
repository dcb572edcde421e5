"""Staff are shown by name and role; an id nobody holds is shown as it is."""

from __future__ import annotations

from clientkeep.staff.directory import directory
from tests.unit.staff.test_adding_staff import add


def test_members_are_named_with_their_role_and_others_shown_as_they_are(deps, uow) -> None:
    kim = add(deps, username="kim.new", display_name="Kim New", role="supervisor")
    plain = add(deps, username="sam")
    people = directory(uow.staff)
    assert people.label(kim.id) == "Kim New (supervisor)"
    # No display name given: the username stands in.
    assert people.label(plain.id) == f"{plain.display_name or 'sam'} (agent)"
    assert people.label("system") == "clientkeep (system)"
    assert people.label("stf_gone") == "stf_gone"
    assert people.labels([kim.id, "system"]) == {
        kim.id: "Kim New (supervisor)",
        "system": "clientkeep (system)",
    }
