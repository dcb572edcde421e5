"""Reading a parsed TOML document while recording every problem with where it is.

``Section`` hands out typed values and records a problem (rather than raising) for anything
missing or of the wrong type; ``finish()`` then reports every key nobody asked for, so a typo
is never silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import TypeVar

from clientkeep.policy.errors import PolicyProblem

E = TypeVar("E", bound=StrEnum)
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class Problems:
    def __init__(self) -> None:
        self.found: list[PolicyProblem] = []

    def add(self, location: str, message: str) -> None:
        self.found.append(PolicyProblem(location or "(top level)", message))

    def __len__(self) -> int:
        return len(self.found)


def _kind(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


class Section:
    def __init__(self, data: Mapping[str, object], where: str, problems: Problems) -> None:
        self.data = data
        self.where = where
        self.problems = problems
        self._asked: set[str] = set()

    def at(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.where}[{key}]"
        return f"{self.where}.{key}" if self.where else key

    def problem(self, key: str | int | None, message: str) -> None:
        self.problems.add(self.where if key is None else self.at(key), message)

    def _get(self, key: str, expected: type, what: str, required: bool) -> object | None:
        self._asked.add(key)
        if key not in self.data:
            if required:
                self.problem(None, f"missing key {key!r}")
            return None
        value = self.data[key]
        # TOML booleans are Python ints too: true must not pass for a number.
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            self.problem(key, f"must be {what}, not {_kind(value)}")
            return None
        return value

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self._get(key, str, "a string", required)
        if isinstance(value, str) and not value.strip():
            self.problem(key, "must not be empty")
            return None
        return value if isinstance(value, str) else None

    def integer(self, key: str, *, required: bool = True, minimum: int = 1) -> int | None:
        value = self._get(key, int, "an integer", required)
        if not isinstance(value, int):
            return None
        if value < minimum:
            self.problem(key, f"must be at least {minimum}, not {value}")
            return None
        return value

    def boolean(self, key: str, *, required: bool = True) -> bool | None:
        value = self._get(key, bool, "true or false", required)
        return value if isinstance(value, bool) else None

    def choice(self, key: str, enum: type[E], *, required: bool = True) -> E | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            known = ", ".join(member.value for member in enum)
            self.problem(
                key, f"unknown {key.replace('_', ' ')} {value!r}; expected one of: {known}"
            )
            return None

    def one_of_words(
        self, key: str, allowed: frozenset[str], what: str, *, required: bool = True
    ) -> str | None:
        value = self.text(key, required=required)
        if value is not None and value not in allowed:
            self.problem(
                key, f"unknown {what} {value!r}; expected one of: {', '.join(sorted(allowed))}"
            )
            return None
        return value

    def strings(self, key: str, *, required: bool = True) -> list[tuple[str, str]] | None:
        """Each string of an array with its location; duplicates and non-strings reported."""
        value = self._get(key, list, "an array of strings", required)
        if not isinstance(value, list):
            return None
        found: list[tuple[str, str]] = []
        seen: set[str] = set()
        for i, item in enumerate(value):
            where = f"{self.at(key)}[{i}]"
            if not isinstance(item, str):
                self.problems.add(where, f"must be a string, not {_kind(item)}")
            elif item in seen:
                self.problems.add(where, f"{item!r} is listed twice")
            else:
                seen.add(item)
                found.append((where, item))
        return found

    def array(self, key: str, *, required: bool = True) -> list[object] | None:
        value = self._get(key, list, "an array", required)
        return value if isinstance(value, list) else None

    def table(self, key: str, *, required: bool = True) -> Section | None:
        value = self._get(key, dict, "a table", required)
        return Section(value, self.at(key), self.problems) if isinstance(value, dict) else None

    def tables(self, key: str) -> Iterator[tuple[str, Section]]:
        """Each named sub-table of ``[key.<name>]``, with the name checked."""
        outer = self.table(key)
        if outer is None:
            return
        if not outer.data:
            outer.problem(None, "must declare at least one entry")
        for name in list(outer.data):
            inner = outer.table(name)
            if not NAME.match(name):
                outer.problem(name, "names use lower case letters, digits and _ only")
            elif inner is not None:
                yield name, inner

    def finish(self) -> None:
        for key in self.data:
            if key not in self._asked:
                self.problem(key, "unknown key (is it misspelt?)")
