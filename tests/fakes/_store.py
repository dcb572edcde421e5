"""The snapshot-and-restore base of every fake repository."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from tests.fakes.unit_of_work import FakeUnitOfWork


class WriteInReadingUnit(RuntimeError):
    """A write inside ``uow.reading()``: the SQL unit's read-only transaction refuses it too."""


class FakeStore:
    """A fake repository: the unit of work snapshots and restores the attributes named in
    ``STATE``, and every write method calls ``_write`` first."""

    STATE: ClassVar[tuple[str, ...]] = ()
    _unit: FakeUnitOfWork | None = None

    def _write(self, method: str) -> None:
        if self._unit is not None and self._unit.read_only:
            raise WriteInReadingUnit(f"{type(self).__name__}.{method} inside uow.reading()")

    def snapshot(self) -> dict[str, Any]:
        return {name: copy.deepcopy(getattr(self, name)) for name in self.STATE}

    def restore(self, state: Mapping[str, Any]) -> None:
        # A copy: the committed state may be restored again by a later unit.
        for name, value in state.items():
            setattr(self, name, copy.deepcopy(value))
