"""What a caller states, normalised as the field is on entry and compared with what is held.

The agent types the caller's words as they come ("1st March 1990", "sw1a1aa"); each answer is
normalised by the field's own rules, so any format the record accepts on entry matches. The
phone is asked for by its last four digits, which a caller can say and an overhearer learns
little from. Every comparison runs in constant time and every stated answer is compared, so
neither the timing nor the answer tells which detail was wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import date

from clientkeep.customers import values
from clientkeep.customers.model import Customer
from clientkeep.customers.reference import reference_term
from clientkeep.policy.model import FieldType, Policy, VerificationMethod
from clientkeep.shared.errors import InvalidInput

# The answer name for the last four digits of the phone field the policy names.
PHONE_LAST_FOUR = "phone_last_four"
_FOUR_DIGITS = re.compile(r"\d{4}")


def answer_names(policy: Policy, method: VerificationMethod) -> tuple[str, ...]:
    """The answers a method takes: its fields, with the phone asked for by its last four."""
    phone = policy.field_roles.phone
    return tuple(PHONE_LAST_FOUR if f == phone else f for f in method.fields)


def field_of(policy: Policy, answer: str) -> str:
    return policy.field_roles.phone if answer == PHONE_LAST_FOUR else answer


def normalised_answers(
    policy: Policy, method: VerificationMethod, answers: Mapping[str, str], *, today: date
) -> dict[str, str]:
    """The stated answers as they would be stored, naming each one that cannot be read.

    A typing slip ("31/02/1990") is the agent's to correct and costs no attempt; it says only
    that the answer is not a date, never whether it is right.
    """
    allowed = answer_names(policy, method)
    problems: list[tuple[str, str]] = []
    unknown = sorted(set(answers) - set(allowed))
    for name in unknown:
        problems.append((name, f"Not an answer this check takes: use {', '.join(allowed)}."))
    given = {n: v for n, v in answers.items() if n in allowed and v.strip()}
    if not unknown and len(given) < method.min_matches:
        problems.append(
            (
                "answers",
                f"Ask the caller for at least {method.min_matches} of: {', '.join(allowed)}.",
            )
        )
    normalised: dict[str, str] = {}
    for name, raw in given.items():
        try:
            normalised[name] = _normalise(policy, name, raw, today)
        except InvalidInput as bad:
            problems.extend((name, message) for _, message in bad.errors)
    if problems:
        raise InvalidInput(problems)
    return normalised


def _normalise(policy: Policy, answer: str, raw: str, today: date) -> str:
    if answer == PHONE_LAST_FOUR:
        digits = "".join(raw.split())
        if not _FOUR_DIGITS.fullmatch(digits):
            raise InvalidInput([(answer, "Enter the last four digits of the phone number.")])
        return digits
    definition = policy.fields[answer]
    if answer == policy.field_roles.reference:
        term = reference_term(raw, policy.customer_reference)
        if term is None:
            example = policy.customer_reference.format("7KQ4M2PX")
            raise InvalidInput([(answer, f"Enter a customer reference such as {example}.")])
        return term
    if definition.type is FieldType.PHONE:
        return values.normalise(definition, raw, today=today, accept_unlisted=True)
    return values.normalise(definition, raw, today=today)


def held_answer(policy: Policy, customer: Customer, answer: str) -> str | None:
    """The held value in the form its answer is compared in."""
    stored = customer.value(field_of(policy, answer))
    if stored is None:
        return None
    if answer == PHONE_LAST_FOUR:
        digits = "".join(ch for ch in stored if ch.isdigit())
        return digits[-4:] if len(digits) >= 4 else None
    if answer == policy.field_roles.reference:
        return reference_term(stored, policy.customer_reference)
    return stored


def count_matches(policy: Policy, customer: Customer, stated: Mapping[str, str]) -> int:
    """How many stated answers equal what is held; a detail not held never matches."""
    matches = 0
    for answer, said in stated.items():
        held = held_answer(policy, customer, answer)
        # Compared even when nothing is held, so a missing detail takes as long as a wrong one.
        same = hmac.compare_digest(_digest(said), _digest(held or "\0"))
        matches += int(same and held is not None)
    return matches


def _digest(text: str) -> bytes:
    # Equal-length inputs, so the comparison's time does not depend on the held value's length.
    return hashlib.sha256(text.encode()).digest()
