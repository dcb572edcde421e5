"""Reading who may do what: roles, verification methods, staleness, staff rules, references."""

from __future__ import annotations

import re

from clientkeep.policy._frozen import FrozenMap
from clientkeep.policy._reader import Section
from clientkeep.policy._vocabulary import (
    AMBIGUOUS_REFERENCE_CHARACTERS,
    CAPABILITIES,
    MANAGE_STAFF,
    MIN_REFERENCE_ALPHABET,
    SYSTEM_ROLE,
)
from clientkeep.policy.model import (
    CustomerReference,
    FieldDef,
    FieldType,
    Purpose,
    Role,
    SecondFactorRule,
    StaffRules,
    Staleness,
    VerificationKind,
    VerificationMethod,
)

PREFIX = re.compile(r"^[A-Z]{1,6}$")
REFERENCE_CHARACTERS = re.compile(r"^[A-Z0-9]+$")


def read_roles(doc: Section, purposes: dict[str, Purpose | None]) -> dict[str, Role | None]:
    found: dict[str, Role | None] = {}
    for name, s in doc.tables("roles"):
        if name == SYSTEM_ROLE:
            s.problem(
                None,
                f"the role name {SYSTEM_ROLE!r} is reserved for the software itself; "
                "choose another name",
            )
        description = s.text("description")
        acts_under = s.strings("purposes") or []
        for where, purpose in acts_under:
            if purpose not in purposes:
                s.problems.add(where, f"{purpose!r} is not a declared purpose")
        may_see_special = s.boolean("may_see_special")
        sees_data = s.boolean("sees_customer_data")
        capabilities = s.strings("capabilities", required=False) or []
        for where, capability in capabilities:
            if capability not in CAPABILITIES:
                s.problems.add(
                    where,
                    f"unknown capability {capability!r}; expected one of: "
                    f"{', '.join(sorted(CAPABILITIES))}",
                )
        second_factor = s.choice("second_factor", SecondFactorRule, required=False)
        s.finish()
        if sees_data is False and acts_under:
            s.problem("purposes", "a role that sees no customer data cannot act under a purpose")
        if sees_data is False and may_see_special:
            s.problem(
                "may_see_special",
                "a role that sees no customer data cannot see special category data",
            )
        if sees_data and "purposes" in s.data and not acts_under:
            s.problem("purposes", "a role that sees customer data needs at least one purpose")
        found[name] = None
        if (
            name != SYSTEM_ROLE
            and description
            and may_see_special is not None
            and sees_data is not None
        ):
            found[name] = Role(
                name=name,
                description=description,
                purposes=frozenset(p for _, p in acts_under),
                may_see_special=may_see_special,
                sees_customer_data=sees_data,
                capabilities=frozenset(c for _, c in capabilities),
                second_factor=second_factor or SecondFactorRule.OPTIONAL,
            )
    built = [role for role in found.values() if role is not None]
    if (
        built
        and len(built) == len(found)
        and not any(MANAGE_STAFF in role.capabilities for role in built)
    ):
        doc.problem(
            "roles", f"no role has the {MANAGE_STAFF} capability: nobody could manage staff"
        )
    return found


def read_verification(
    doc: Section, fields: dict[str, FieldDef | None], purposes: dict[str, Purpose | None]
) -> dict[str, VerificationMethod | None]:
    compared = {f for p in purposes.values() if p for f in p.compare_only}
    found: dict[str, VerificationMethod | None] = {}
    for name, s in doc.tables("verification"):
        # The table's name says its kind: a code sent to the customer, or stated details.
        if name == VerificationKind.ONE_TIME_CODE.value:
            found[name] = _read_one_time_code(name, s, fields, purposes)
            continue
        description = s.text("description")
        stated = s.strings("fields") or []
        for where, field in stated:
            if field not in fields:
                s.problems.add(where, f"{field!r} is not a declared field")
            elif field not in compared:
                s.problems.add(
                    where,
                    f"{field!r} is not compare_only in any purpose: "
                    "verification compares, it never shows",
                )
        if "fields" in s.data and not stated:
            s.problem("fields", "a verification method needs at least one field")
        min_matches = s.integer("min_matches")
        valid_for = s.integer("valid_for_minutes", required=False)
        max_failures = s.integer("max_failures", required=False)
        window = s.integer("failure_window_minutes", required=False)
        s.finish()
        if min_matches is not None and stated and min_matches > len(stated):
            s.problem("min_matches", f"cannot exceed the number of fields ({len(stated)})")
        found[name] = None
        if description and stated and min_matches:
            found[name] = VerificationMethod(
                name=name,
                description=description,
                fields=tuple(f for _, f in stated),
                min_matches=min_matches,
                valid_for_minutes=valid_for or 15,
                max_failures=max_failures or 3,
                failure_window_minutes=window or 15,
            )
    return found


# The channels a one-time code can go by, and the type of field each is addressed from.
CODE_CHANNELS = {"email": FieldType.EMAIL, "sms": FieldType.PHONE}
LONGEST_CODE_MINUTES = 60
# The longest wait between two codes to one customer the policy may ask for: an hour.
RESEND_AFTER_LONGEST = 3600


def _read_one_time_code(
    name: str,
    s: Section,
    fields: dict[str, FieldDef | None],
    purposes: dict[str, Purpose | None],
) -> VerificationMethod | None:
    before = len(s.problems)
    description = s.text("description")
    channels = s.strings("channels") or []
    for where, channel in channels:
        if channel not in CODE_CHANNELS:
            s.problems.add(
                where, f"unknown channel {channel!r}; expected one of: {', '.join(CODE_CHANNELS)}"
            )
    if "channels" in s.data and not channels:
        s.problem("channels", "a one-time code needs at least one channel")
    minutes = s.integer("code_minutes", required=False)
    if minutes is not None and minutes > LONGEST_CODE_MINUTES:
        s.problem("code_minutes", f"at most {LONGEST_CODE_MINUTES}: a code is for one call")
    purpose = s.text("purpose")
    valid_for = s.integer("valid_for_minutes", required=False)
    resend_after = s.integer("resend_after_seconds", required=False, minimum=0)
    if resend_after is not None and resend_after > RESEND_AFTER_LONGEST:
        s.problem("resend_after_seconds", f"at most {RESEND_AFTER_LONGEST}: one an hour at most")
    per_hour = s.integer("max_codes_per_hour", required=False)
    s.finish()
    declared = purposes.get(purpose) if purpose else None
    if purpose and purpose not in purposes:
        s.problem("purpose", f"{purpose!r} is not a declared purpose")
    elif declared is not None:
        for channel in (c for _, c in channels if c in CODE_CHANNELS):
            wanted = CODE_CHANNELS[channel]
            if not any(
                (f := fields.get(n)) is not None and f.type is wanted for n in declared.fields
            ):
                s.problem(
                    "purpose",
                    f"{purpose!r} uses no {wanted.value} field: a code by {channel} is sent "
                    "to one, and the message's purpose must use the field it goes to",
                )
    if not (description and channels and purpose) or len(s.problems) > before:
        return None
    return VerificationMethod(
        name=name,
        description=description,
        fields=(),
        min_matches=1,
        valid_for_minutes=valid_for or 15,
        kind=VerificationKind.ONE_TIME_CODE,
        channels=tuple(c for _, c in channels),
        code_minutes=minutes or 10,
        send_purpose=purpose,
        resend_after_seconds=60 if resend_after is None else resend_after,
        max_codes_per_hour=per_hour or 5,
    )


def read_staleness(doc: Section, fields: dict[str, FieldDef | None]) -> Staleness | None:
    s = doc.table("staleness")
    if s is None:
        return None
    default_days = s.integer("default_days")
    per_field: dict[str, int] = {}
    table = s.table("per_field_days", required=False)
    if table is not None:
        for field in table.data:
            days = table.integer(field)
            if field not in fields:
                table.problem(field, f"{field!r} is not a declared field")
            elif days is not None:
                per_field[field] = days
    s.finish()
    if default_days is None:
        return None
    return Staleness(default_days=default_days, per_field_days=FrozenMap(per_field))


def read_staff(doc: Section) -> StaffRules | None:
    s = doc.table("staff")
    if s is None:
        return None
    values = (
        s.integer("max_failed_sign_ins"),
        s.integer("lockout_minutes"),
        s.integer("session_minutes"),
        s.integer("min_password_length", minimum=8),
    )
    s.finish()
    a, b, c, d = values
    if a is None or b is None or c is None or d is None:
        return None
    return StaffRules(
        max_failed_sign_ins=a, lockout_minutes=b, session_minutes=c, min_password_length=d
    )


def read_customer_reference(doc: Section) -> CustomerReference | None:
    s = doc.table("customer_reference")
    if s is None:
        return None
    prefix, length, alphabet = s.text("prefix"), s.integer("length", minimum=6), s.text("alphabet")
    s.finish()
    if prefix is not None and not PREFIX.match(prefix):
        s.problem("prefix", "must be 1 to 6 capital letters")
    if alphabet is not None:
        if not REFERENCE_CHARACTERS.match(alphabet):
            s.problem("alphabet", "must hold only capital letters and digits")
        if len(set(alphabet)) != len(alphabet):
            s.problem("alphabet", "lists a character more than once")
        ambiguous = sorted(AMBIGUOUS_REFERENCE_CHARACTERS & set(alphabet))
        if ambiguous:
            s.problem("alphabet", f"holds characters easily misread: {' '.join(ambiguous)}")
        if len(set(alphabet)) < MIN_REFERENCE_ALPHABET:
            s.problem(
                "alphabet",
                f"needs at least {MIN_REFERENCE_ALPHABET} characters to make "
                "references hard to guess",
            )
    if prefix is None or length is None or alphabet is None:
        return None
    return CustomerReference(prefix=prefix, length=length, alphabet=alphabet)
