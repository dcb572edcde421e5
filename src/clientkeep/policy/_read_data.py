"""Reading the controller, the fields and the purposes that use them."""

from __future__ import annotations

from clientkeep.policy._reader import Section
from clientkeep.policy._vocabulary import (
    ARTICLE9_CONDITIONS,
    CONSENT_WITHDRAWN,
    RETENTION_TRIGGERS,
    SPECIAL_KINDS,
    WITH_RECORD,
)
from clientkeep.policy.model import (
    Category,
    Controller,
    FieldDef,
    FieldType,
    LawfulBasis,
    Purpose,
    Retention,
)


def read_controller(doc: Section) -> Controller | None:
    s = doc.table("controller")
    if s is None:
        return None
    name, address = s.text("name"), s.text("address")
    ico, dpo = s.text("ico_registration"), s.text("dpo_contact")
    s.finish()
    if name and address and ico and dpo:
        return Controller(name=name, address=address, ico_registration=ico, dpo_contact=dpo)
    return None


def read_fields(doc: Section) -> dict[str, FieldDef | None]:
    """Every declared field name, with its definition when it could be read whole."""
    found: dict[str, FieldDef | None] = {}
    for name, s in doc.tables("fields"):
        type_, category = s.choice("type", FieldType), s.choice("category", Category)
        label, description = s.text("label"), s.text("description")
        choices = s.strings("choices", required=False)
        kind = s.one_of_words(
            "special_kind", SPECIAL_KINDS, "special category kind", required=False
        )
        max_length = s.integer("max_length", required=False)
        system = s.boolean("system", required=False)
        s.finish()
        if type_ is FieldType.ENUM and choices is None and "choices" not in s.data:
            s.problem("choices", "an enum field must list its choices")
        elif type_ is FieldType.ENUM and choices == []:
            s.problem("choices", "an enum field needs at least one choice")
        elif type_ not in (FieldType.ENUM, None) and "choices" in s.data:
            s.problem("choices", "only an enum field has choices")
        if category is Category.SPECIAL and "special_kind" not in s.data:
            s.problem("special_kind", "a special category field must say its kind, e.g. health")
        elif category is Category.PERSONAL and "special_kind" in s.data:
            s.problem("special_kind", "only a special category field has a special_kind")
        found[name] = None
        if type_ and category and label and description:
            found[name] = FieldDef(
                name=name,
                type=type_,
                category=category,
                label=label,
                description=description,
                choices=tuple(c for _, c in choices or ()),
                special_kind=kind,
                max_length=max_length,
                system=bool(system),
            )
    return found


def read_purposes(doc: Section, fields: dict[str, FieldDef | None]) -> dict[str, Purpose | None]:
    found: dict[str, Purpose | None] = {}
    for name, s in doc.tables("purposes"):
        found[name] = _read_purpose(name, s, fields)
    return found


def _read_purpose(name: str, s: Section, fields: dict[str, FieldDef | None]) -> Purpose | None:
    description = s.text("description")
    basis = s.choice("lawful_basis", LawfulBasis)
    used = s.strings("fields") or []
    for where, field in used:
        if field not in fields:
            s.problems.add(where, f"{field!r} is not a declared field")
    if "fields" in s.data and not used:
        s.problem("fields", "a purpose must use at least one field")
    names = {field for _, field in used}
    required = _members(s, "required", names)
    one_of = _groups(s, names)
    compare_only = _members(s, "compare_only", names)
    masked = _members(s, "masked_until_verified", names)
    notes = {f for f in names if (d := fields.get(f)) is not None and not d.on_record}
    for key, listed in (
        ("required", set(required)),
        ("one_of", {f for group in one_of for f in group}),
        ("compare_only", set(compare_only)),
        ("masked_until_verified", set(masked)),
    ):
        for field in sorted(listed & notes):
            s.problem(
                key,
                f"{field!r} is a notes field, kept in records of contacts, complaints or "
                "feedback, not a value on the customer's record",
            )
    for field in sorted(set(masked) & set(compare_only)):
        s.problem(
            "masked_until_verified",
            f"{field!r} is compare_only here: it is never shown, so there is nothing to mask",
        )
    condition = s.one_of_words(
        "article9_condition", ARTICLE9_CONDITIONS, "Article 9 condition", required=False
    )
    assessment = s.text("legitimate_interest_assessment", required=False)
    retention = _read_retention(s, basis)
    s.finish()

    special = [(where, f) for where, f in used if (d := fields.get(f)) and d.is_special]
    if "article9_condition" not in s.data:
        for where, field in special:
            s.problems.add(
                where,
                f"{field!r} is special category data: the purpose needs an "
                "article9_condition (UK GDPR Article 9(2))",
            )
    elif not special and all(fields.get(f) for f in names):
        s.problem("article9_condition", "the purpose uses no special category field")
    if basis is LawfulBasis.LEGITIMATE_INTERESTS and "legitimate_interest_assessment" not in s.data:
        s.problem(
            "legitimate_interest_assessment",
            "required when the lawful basis is legitimate_interests: record the assessment",
        )
    elif basis not in (LawfulBasis.LEGITIMATE_INTERESTS, None) and assessment is not None:
        s.problem(
            "legitimate_interest_assessment",
            "only a purpose on legitimate_interests has an assessment",
        )

    if description and basis and used and retention:
        return Purpose(
            name=name,
            description=description,
            lawful_basis=basis,
            fields=frozenset(names),
            required=required,
            one_of=one_of,
            article9_condition=condition,
            retention=retention,
            compare_only=frozenset(compare_only),
            legitimate_interest_assessment=assessment,
            masked_until_verified=frozenset(masked),
        )
    return None


def _members(s: Section, key: str, names: set[str]) -> tuple[str, ...]:
    listed = s.strings(key, required=False) or []
    for where, field in listed:
        if field not in names:
            s.problems.add(where, f"{field!r} is not one of this purpose's fields")
    return tuple(field for _, field in listed)


def _groups(s: Section, names: set[str]) -> tuple[tuple[str, ...], ...]:
    """``one_of = [["email"], ["phone"], ["address_line1", "town", "postcode"]]``."""
    raw = s.array("one_of", required=False) or []
    groups: list[tuple[str, ...]] = []
    for i, group in enumerate(raw):
        where = f"{s.at('one_of')}[{i}]"
        if not isinstance(group, list) or not group:
            s.problems.add(where, "each group must be a non-empty array of field names")
            continue
        for j, field in enumerate(group):
            if not isinstance(field, str):
                s.problems.add(f"{where}[{j}]", "must be a field name (a string)")
            elif field not in names:
                s.problems.add(f"{where}[{j}]", f"{field!r} is not one of this purpose's fields")
        groups.append(tuple(f for f in group if isinstance(f, str)))
    return tuple(groups)


def _read_retention(purpose: Section, basis: LawfulBasis | None) -> Retention | None:
    s = purpose.table("retention")
    if s is None:
        return None
    period = s.integer("period_days", minimum=0)
    trigger = s.one_of_words("trigger", RETENTION_TRIGGERS, "retention trigger")
    description = s.text("description")
    longstop = s.integer("longstop_days", required=False)
    s.finish()
    if trigger == WITH_RECORD and period:
        s.problem("period_days", "must be 0 when the trigger is with_record")
    if basis is LawfulBasis.CONSENT and trigger not in (CONSENT_WITHDRAWN, None):
        s.problem(
            "trigger",
            "a purpose on consent must end when consent is withdrawn: "
            "use consent_withdrawn (and longstop_days for a time limit)",
        )
    elif basis not in (LawfulBasis.CONSENT, None) and trigger == CONSENT_WITHDRAWN:
        s.problem("trigger", "consent_withdrawn applies only to a purpose on consent")
    if period is None or trigger is None or description is None:
        return None
    return Retention(
        period_days=period, trigger=trigger, description=description, longstop_days=longstop
    )
