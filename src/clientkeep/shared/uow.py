"""The unit of work every use case runs in: commit explicitly, or everything rolls back."""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType
from typing import Protocol, Self


class UnitOfWork(Protocol):
    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def reading(self) -> AbstractContextManager[Self]:
        """The same unit for reads only: it takes no write lock and refuses to write.

        A read that must be audited reads in one of these, then appends its audit event in an
        ordinary unit and commits that before it answers: nothing is shown unrecorded, and a
        reader never waits behind, or holds up, a writer. Inside an open unit it is that unit.
        """
        ...
