"""The policy as plain, frozen data: fields, purposes, roles and the rules staff work under.

Built only by the loader, which checks every invariant first; once built it never changes.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from enum import StrEnum

from clientkeep.policy._frozen import FrozenMap
from clientkeep.policy._vocabulary import SYSTEM_ROLE, WITH_RECORD
from clientkeep.policy.complaint_rules import ComplaintRules
from clientkeep.policy.errors import UnknownPurpose, UnknownRole


class Category(StrEnum):
    PERSONAL = "personal"
    SPECIAL = "special"  # UK GDPR Article 9 special category data


class FieldType(StrEnum):
    TEXT = "text"
    NAME = "name"
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    DATE = "date"
    ENUM = "enum"
    COUNTRY = "country"  # an ISO 3166-1 alpha-2 code
    # Free text staff write about the customer in records of their own (a contact's notes, a
    # complaint's details, feedback), never a value on the customer's record itself.
    NOTES = "notes"


class LawfulBasis(StrEnum):  # UK GDPR Article 6(1)(a)-(f)
    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTERESTS = "vital_interests"
    PUBLIC_TASK = "public_task"
    LEGITIMATE_INTERESTS = "legitimate_interests"


@dataclass(frozen=True, slots=True)
class FieldDef:
    name: str
    type: FieldType
    category: Category
    label: str
    description: str
    choices: tuple[str, ...] = ()
    special_kind: str | None = None
    max_length: int | None = None
    # Set by the software (like the customer reference), never typed in by staff.
    system: bool = False

    @property
    def is_special(self) -> bool:
        return self.category is Category.SPECIAL

    @property
    def on_record(self) -> bool:
        """A value of the customer's record (typed in or set by clientkeep), rather than the
        notes kept in records of contacts, complaints and feedback."""
        return self.type is not FieldType.NOTES


@dataclass(frozen=True, slots=True)
class Retention:
    """Keep for ``period_days`` after ``trigger``; never beyond ``longstop_days`` of silence."""

    period_days: int
    trigger: str
    description: str
    # However the trigger stands, no longer than this many days after the last interaction.
    longstop_days: int | None = None

    @property
    def lasts_as_long_as_the_record(self) -> bool:
        return self.trigger == WITH_RECORD


@dataclass(frozen=True, slots=True)
class Purpose:
    name: str
    description: str
    lawful_basis: LawfulBasis
    fields: frozenset[str]
    # Every one of ``required``, and every field of at least one group of ``one_of``:
    # (("email",), ("phone",), ("address_line1", "town", "postcode")).
    required: tuple[str, ...]
    one_of: tuple[tuple[str, ...], ...]
    article9_condition: str | None
    retention: Retention
    # Used only to compare with what a caller states; never shown under this purpose.
    compare_only: frozenset[str] = frozenset()
    legitimate_interest_assessment: str | None = None
    # Caller-facing purposes: these fields stay hidden on a screen until the member of staff
    # has verified the caller (or says they are not speaking to the customer). Empty: none.
    masked_until_verified: frozenset[str] = frozenset()

    def missing(self, present: AbstractSet[str]) -> tuple[str, ...]:
        """Names of required fields absent from ``present``, then "one of: ..." if unmet."""
        absent = tuple(name for name in self.required if name not in present)
        if self.one_of and not any(set(group) <= present for group in self.one_of):
            alternatives = " or ".join("+".join(group) for group in self.one_of)
            absent += (f"one of: {alternatives}",)
        return absent


class SecondFactorRule(StrEnum):
    """Whether a role's members must add a one-time code to their password on the web."""

    OPTIONAL = "optional"
    REQUIRED = "required"


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    description: str
    purposes: frozenset[str]
    may_see_special: bool
    sees_customer_data: bool
    capabilities: frozenset[str] = frozenset()
    second_factor: SecondFactorRule = SecondFactorRule.OPTIONAL


class VerificationKind(StrEnum):
    """How a method checks a caller: by details they state, or by a code sent to them."""

    KNOWLEDGE = "knowledge"
    ONE_TIME_CODE = "one_time_code"


@dataclass(frozen=True, slots=True)
class VerificationMethod:
    name: str
    description: str
    fields: tuple[str, ...]  # what the caller must state (none for a one-time code)
    min_matches: int
    # How long a pass proves the caller, and how many failures for one customer within
    # the window lock that customer's checks (for every member of staff) until it passes.
    valid_for_minutes: int = 15
    max_failures: int = 3
    failure_window_minutes: int = 15
    kind: VerificationKind = VerificationKind.KNOWLEDGE
    # A one-time code only: the channels it may go by, how long it lasts, and the purpose
    # the message is sent under (which must use the email and phone fields it goes to).
    channels: tuple[str, ...] = ()
    code_minutes: int = 10
    send_purpose: str | None = None
    # A one-time code only: no new code to a customer within this many seconds of the last
    # one, and no more than this many to one customer in an hour, by whoever sends them.
    resend_after_seconds: int = 60
    max_codes_per_hour: int = 5


@dataclass(frozen=True, slots=True)
class Staleness:
    default_days: int
    per_field_days: Mapping[str, int] = field(default_factory=FrozenMap)

    def days_for(self, field_name: str) -> int:
        return self.per_field_days.get(field_name, self.default_days)


@dataclass(frozen=True, slots=True)
class StaffRules:
    max_failed_sign_ins: int = 5
    lockout_minutes: int = 15
    session_minutes: int = 480
    min_password_length: int = 12


@dataclass(frozen=True, slots=True)
class CustomerReference:
    """A short reference a customer can read out: random, never derived from an id."""

    prefix: str
    length: int
    alphabet: str

    def new(self) -> str:
        return self.format("".join(secrets.choice(self.alphabet) for _ in range(self.length)))

    def format(self, body: str) -> str:
        """``7KQ4M2PX`` -> ``CK-7KQ4-M2PX``: groups of four are easier to read out."""
        groups = [body[i : i + 4] for i in range(0, len(body), 4)]
        return "-".join([self.prefix, *groups])


@dataclass(frozen=True, slots=True)
class FieldRoles:
    """Which declared field plays each part the software relies on.

    Telling people apart by name, the duplicate rules, search by kind and the reference a
    caller quotes all need to know which field is which; the policy says, the code never
    guesses from a field's name.
    """

    given_name: str
    family_name: str
    email: str
    phone: str
    date_of_birth: str
    postcode: str
    reference: str
    preferred_name: str | None = None
    # The notes fields the records of contacts, complaints and feedback are held as: each
    # record's text is shown exactly where its field is. None: that record is not kept.
    contact_notes: str | None = None
    complaint_details: str | None = None
    feedback: str | None = None
    # Worked out once: index terms and the duplicate rules ask for it for every record.
    _by_part: tuple[tuple[str, str], ...] = field(
        init=False, default=(), compare=False, hash=False, repr=False
    )

    def __post_init__(self) -> None:
        parts = {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "preferred_name": self.preferred_name,
            "email": self.email,
            "phone": self.phone,
            "date_of_birth": self.date_of_birth,
            "postcode": self.postcode,
            "reference": self.reference,
            "contact_notes": self.contact_notes,
            "complaint_details": self.complaint_details,
            "feedback": self.feedback,
        }
        assigned = tuple((part, name) for part, name in parts.items() if name is not None)
        object.__setattr__(self, "_by_part", assigned)

    def as_dict(self) -> dict[str, str]:
        """{part: field name} of every part the policy assigns."""
        return dict(self._by_part)

    def parts_of(self, values: Mapping[str, str]) -> dict[str, str]:
        """A record's values keyed by the part each plays ({"given_name": "Ada", ...})."""
        return {part: values[name] for part, name in self._by_part if name in values}


@dataclass(frozen=True, slots=True)
class Projection:
    """What one role may see and search of a customer under one purpose.

    Every view, summary, warning and queue is cut by one of these, so nothing leaves that the
    purpose does not declare or the role may not see.
    """

    role: str
    purpose: str
    # May be shown: the purpose uses them, they are not compare-only, the role may see them.
    shown: frozenset[str]
    # May be compared with what someone states (shown ones and compare-only ones).
    compared: frozenset[str]
    # Kinds of value a search under this purpose may look for.
    searchable: frozenset[str]
    parts: FieldRoles
    # The shown fields that are values of the customer's record, not notes of other records:
    # what may be told to a caller, put in a representative's scope or asked for.
    on_record: frozenset[str] = frozenset()

    def shows(self, name: str) -> bool:
        return name in self.shown

    @property
    def shows_names(self) -> bool:
        return self.parts.given_name in self.shown and self.parts.family_name in self.shown

    def display_name(self, values: Mapping[str, str]) -> str | None:
        """The name to show, built only from name fields this projection shows; None if none."""

        def shown(name: str | None) -> str:
            return (values.get(name) or "") if name is not None and name in self.shown else ""

        given = shown(self.parts.preferred_name) or shown(self.parts.given_name)
        name = " ".join(part for part in (given, shown(self.parts.family_name)) if part)
        return name or None


# The kinds of search, each needing the field that plays its part.
SEARCH_KINDS = ("email", "phone", "postcode", "name", "reference")


@dataclass(frozen=True, slots=True)
class Controller:
    name: str
    address: str
    ico_registration: str
    dpo_contact: str


@dataclass(frozen=True, slots=True)
class Policy:
    version: str
    controller: Controller
    fields: Mapping[str, FieldDef]
    purposes: Mapping[str, Purpose]
    roles: Mapping[str, Role]
    verification: Mapping[str, VerificationMethod]
    staleness: Staleness
    staff: StaffRules
    customer_reference: CustomerReference
    field_roles: FieldRoles
    # The purpose a screen or command acts under when none is chosen.
    default_purpose: str
    # How complaints are handled; None: this policy keeps no complaints.
    complaints: ComplaintRules | None = None
    _projections: dict[tuple[str, str], Projection] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def role(self, name: str) -> Role:
        try:
            return self.roles[name]
        except KeyError:
            raise UnknownRole(name) from None

    def purpose(self, name: str) -> Purpose:
        try:
            return self.purposes[name]
        except KeyError:
            raise UnknownPurpose(name) from None

    def role_may_act_under(self, role: str, purpose: str) -> bool:
        """False for a role the policy does not name (such as the system): deny by default."""
        self.purpose(purpose)
        found = self.roles.get(role)
        return found is not None and found.sees_customer_data and purpose in found.purposes

    def visible_fields(self, role: str, purpose: str) -> frozenset[str]:
        """What ``role`` may see of a customer when acting under ``purpose``."""
        return self.projection(role, purpose).shown

    def projection(self, role: str, purpose: str) -> Projection:
        """What ``role`` may see and search under ``purpose``: nothing if it may not act there."""
        key = (role, purpose)
        found = self._projections.get(key)
        if found is None:
            found = self._projections[key] = self._project(role, purpose)
        return found

    def _project(self, role: str, purpose: str) -> Projection:
        chosen = self.purpose(purpose)
        compared: frozenset[str] = frozenset()
        if self.role_may_act_under(role, purpose):
            compared = chosen.fields
            if not self.roles[role].may_see_special:
                compared = frozenset(n for n in compared if not self.fields[n].is_special)
        shown = compared - chosen.compare_only
        parts = self.field_roles
        by_kind = {
            "email": parts.email in compared,
            "phone": parts.phone in compared,
            "postcode": parts.postcode in compared,
            "reference": parts.reference in compared,
            # A name search answers with names, so they must be shown, not only compared.
            "name": parts.given_name in shown and parts.family_name in shown,
        }
        return Projection(
            role=role,
            purpose=purpose,
            shown=shown,
            compared=compared,
            searchable=frozenset(kind for kind, allowed in by_kind.items() if allowed),
            parts=parts,
            on_record=frozenset(n for n in shown if self.fields[n].on_record),
        )

    def has_capability(self, role: str, capability: str) -> bool:
        """False for the reserved system role: only the software's own actor is the system."""
        if role == SYSTEM_ROLE:
            return False
        found = self.roles.get(role)
        return found is not None and capability in found.capabilities

    def requires_second_factor(self, role: str) -> bool:
        """False for a role the policy does not name: such an account cannot act anyway."""
        found = self.roles.get(role)
        return found is not None and found.second_factor is SecondFactorRule.REQUIRED

    def purposes_using(self, field_name: str) -> frozenset[str]:
        return frozenset(p.name for p in self.purposes.values() if field_name in p.fields)

    @property
    def special_fields(self) -> frozenset[str]:
        return frozenset(name for name, f in self.fields.items() if f.is_special)
