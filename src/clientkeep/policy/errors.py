"""What can go wrong with the policy: an unknown name asked for, or a file that does not hold."""

from __future__ import annotations

from dataclasses import dataclass

from clientkeep.shared.errors import DomainError


class PolicyError(DomainError):
    code = "policy_error"


class UnknownRole(PolicyError):
    code = "unknown_role"

    def __init__(self, name: str) -> None:
        super().__init__(f"The policy has no role called {name!r}.", field="role")
        self.name = name


class UnknownPurpose(PolicyError):
    code = "unknown_purpose"

    def __init__(self, name: str) -> None:
        super().__init__(f"The policy has no purpose called {name!r}.", field="purpose")
        self.name = name


@dataclass(frozen=True, slots=True)
class PolicyProblem:
    """One thing wrong with a policy file, and where: ``purposes.marketing.fields[3]``."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class PolicyInvalid(PolicyError):
    """The policy file cannot be used; ``problems`` lists every fault found, not the first."""

    code = "policy_invalid"

    def __init__(self, problems: list[PolicyProblem], *, source: str = "<policy>") -> None:
        if not problems:
            raise ValueError("PolicyInvalid needs at least one problem")
        count = len(problems)
        super().__init__(
            f"{source}: the policy is not valid ({count} problem{'s' if count != 1 else ''}); "
            f"first: {problems[0]}"
        )
        self.problems = problems
        self.source = source
