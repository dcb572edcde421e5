"""Checking what staff submit for a purpose: declared, needed, allowed, valid, complete."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from clientkeep.customers import values
from clientkeep.policy.model import FieldType, Policy, Purpose
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import InvalidInput, PermissionDenied

EXPLICIT_CONSENT = "explicit_consent"


@dataclass(frozen=True, slots=True)
class Collected:
    values: dict[str, str]
    removed: frozenset[str]
    # Phone fields whose number is in no range known to be in use, kept because staff said
    # they read it back.
    unlisted: frozenset[str] = frozenset()


def collect(
    policy: Policy,
    actor: Actor,
    purpose: Purpose,
    submitted: Mapping[str, str | None],
    *,
    explicit_consent: frozenset[str],
    today: date,
    accept_unlisted: frozenset[str] = frozenset(),
) -> Collected:
    """Validate and normalise every submitted field, reporting every problem at once.

    ``None`` asks for a value to be removed. A field the purpose does not use is refused:
    data minimisation means not holding what the purpose does not need. A phone number in
    no range known to be in use is kept only for a field in ``accept_unlisted``; otherwise it
    is reported as ``UnlistedPhoneNumber``, with any other problems.
    """
    errors: list[tuple[str, str]] = []
    normalised: dict[str, str] = {}
    removed: set[str] = set()
    unlisted_refused: set[str] = set()
    role = policy.role(actor.role)
    undeclared = 0
    for name, raw in submitted.items():
        where = f"fields.{name}"
        definition = policy.fields.get(name)
        if definition is None:
            # Named only by count: an undeclared key is the caller's text, perhaps a value.
            undeclared += 1
            continue
        if name in purpose.compare_only:
            errors.append(
                (
                    where,
                    f"The {purpose.name} purpose only compares this field with what a caller "
                    "says; it cannot collect or change it.",
                )
            )
            continue
        if definition.system:
            errors.append((where, "This value is set by clientkeep and cannot be typed in."))
            continue
        if not definition.on_record:
            errors.append(
                (
                    where,
                    "This is kept in the records of contacts, complaints or feedback, not on "
                    "the customer's record.",
                )
            )
            continue
        if name not in purpose.fields:
            errors.append(
                (
                    where,
                    f"The {purpose.name} purpose does not use this field, so it "
                    "may not be collected for it (data minimisation).",
                )
            )
            continue
        if definition.is_special:
            if not role.may_see_special:
                raise PermissionDenied(
                    f"The {role.name} role may not handle special-category data ({name}).",
                    field=f"fields.{name}",
                )
            if (
                raw is not None
                and purpose.article9_condition == EXPLICIT_CONSENT
                and (name not in explicit_consent)
            ):
                errors.append(
                    (
                        where,
                        f"{definition.label} is {definition.special_kind} information: record "
                        "it only if the customer has explicitly agreed, and say that they did.",
                    )
                )
                continue
        if raw is None:
            removed.add(name)
            continue
        try:
            normalised[name] = values.normalise(
                definition, raw, today=today, accept_unlisted=name in accept_unlisted
            )
        except values.UnlistedPhoneNumber:
            unlisted_refused.add(name)
            errors.append((where, values.UNLISTED_MESSAGE))
        except InvalidInput as exc:
            errors.extend((where, message) for _, message in exc.errors)
    if undeclared:
        errors.insert(
            0,
            (
                "fields",
                f"{undeclared} of the fields given "
                f"{'is' if undeclared == 1 else 'are'} not declared in the policy; clientkeep "
                "holds only the fields it declares.",
            ),
        )
    stray = (explicit_consent & set(policy.fields)) - set(submitted)
    if explicit_consent - set(policy.fields):
        errors.append(("explicit_consent", "Consent names a field the policy does not declare."))
    if stray:
        errors.append(
            (
                "explicit_consent",
                "Consent can only be recorded with the value it "
                "covers: " + ", ".join(sorted(stray)) + ".",
            )
        )
    phones = {n for n, f in policy.fields.items() if f.type is FieldType.PHONE}
    if accept_unlisted - phones:
        errors.append(("accept_unlisted_phones", "Name only phone fields the policy declares."))
    if errors:
        raise_all(errors, frozenset(unlisted_refused))
    unlisted = frozenset(
        n for n in accept_unlisted & set(normalised) if values.phone_is_unlisted(normalised[n])
    )
    return Collected(values=normalised, removed=frozenset(removed), unlisted=unlisted)


def raise_all(errors: list[tuple[str, str]], unlisted: frozenset[str]) -> NoReturn:
    if unlisted:
        raise values.UnlistedPhoneNumber(errors, unlisted)
    raise InvalidInput(errors)


def collect_complete(
    policy: Policy,
    actor: Actor,
    purpose: Purpose,
    submitted: Mapping[str, str],
    *,
    explicit_consent: frozenset[str],
    today: date,
    accept_unlisted: frozenset[str] = frozenset(),
) -> Collected:
    """``collect`` for a new record, which must also be complete: what is missing is reported
    with what is wrong, so one try shows staff every problem."""
    try:
        collected = collect(
            policy,
            actor,
            purpose,
            submitted,
            explicit_consent=explicit_consent,
            today=today,
            accept_unlisted=accept_unlisted,
        )
    except InvalidInput as exc:
        # A field given but wrong is reported as wrong, not also as missing.
        missing = _missing(purpose, set(submitted), policy)
        unlisted = exc.fields if isinstance(exc, values.UnlistedPhoneNumber) else frozenset()
        raise_all([*exc.errors, *missing], unlisted)
    require_complete(purpose, set(collected.values), policy)
    return collected


def require_complete(purpose: Purpose, present: set[str], policy: Policy | None = None) -> None:
    errors = _missing(purpose, present, policy)
    if errors:
        raise InvalidInput(errors)


def _missing(purpose: Purpose, present: set[str], policy: Policy | None) -> list[tuple[str, str]]:
    errors = [
        (f"fields.{name}", f"The {purpose.name} purpose requires this.")
        for name in purpose.required
        if name not in present
    ]
    if purpose.one_of and not any(set(group) <= present for group in purpose.one_of):

        def label(name: str) -> str:
            field = policy.fields.get(name) if policy is not None else None
            return field.label if field is not None else name

        ways = "; or ".join(", ".join(label(n) for n in group) for group in purpose.one_of)
        errors.append(
            ("fields", f"The {purpose.name} purpose needs a way to reach the customer: {ways}.")
        )
    return errors
