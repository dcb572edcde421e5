"""Who an id in the trail or a history is: staff are shown by name and role, never as an id.

Every screen that names a member of staff (history, the audit trail, queues, cases) asks this
directory; the API keeps the id and puts the name beside it. A team is tens or hundreds of
people, so the whole directory is read at once, in the caller's unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clientkeep.staff.ports import StaffRepository

# Actors that are not members of staff: the system itself, and what a command runs as
# before anyone has signed in (see shared/actor.py).
_NOT_STAFF = {"system": "clientkeep (system)"}


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    username: str
    display_name: str
    role: str

    @property
    def label(self) -> str:
        """As staff read it: "Kim New (supervisor)"."""
        return f"{self.display_name or self.username} ({self.role})"


@dataclass(frozen=True, slots=True)
class Directory:
    people: dict[str, Person]

    def label(self, actor_id: str) -> str:
        """The person's name and role; an id no member of staff holds is shown as it is."""
        person = self.people.get(actor_id)
        if person is not None:
            return person.label
        return _NOT_STAFF.get(actor_id, actor_id)

    def labels(self, actor_ids: Iterable[str]) -> dict[str, str]:
        return {i: self.label(i) for i in actor_ids}


def directory(staff: StaffRepository) -> Directory:
    """Everyone who has an account, disabled members too: the trail still names them."""
    return Directory(
        {
            m.id: Person(id=m.id, username=m.username, display_name=m.display_name, role=m.role)
            for m in staff.list()
        }
    )
