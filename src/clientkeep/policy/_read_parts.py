"""Reading which field plays each part the software relies on, and the default purpose."""

from __future__ import annotations

from clientkeep.policy._reader import Section
from clientkeep.policy.model import FieldDef, FieldRoles, FieldType, Purpose

# Each part, the type its field must have, and whether the policy must name one.
PARTS: dict[str, tuple[FieldType, bool]] = {
    "given_name": (FieldType.NAME, True),
    "family_name": (FieldType.NAME, True),
    "preferred_name": (FieldType.NAME, False),
    "email": (FieldType.EMAIL, True),
    "phone": (FieldType.PHONE, True),
    "date_of_birth": (FieldType.DATE, True),
    "postcode": (FieldType.POSTCODE, True),
    "reference": (FieldType.TEXT, True),
    "contact_notes": (FieldType.NOTES, False),
    "complaint_details": (FieldType.NOTES, False),
    "feedback": (FieldType.NOTES, False),
}


def read_field_roles(doc: Section, fields: dict[str, FieldDef | None]) -> FieldRoles | None:
    s = doc.table("field_roles")
    if s is None:
        return None
    chosen: dict[str, str] = {}
    for part, (kind, required) in PARTS.items():
        name = s.text(part, required=required)
        if name is None:
            continue
        definition = fields.get(name)
        if name not in fields:
            s.problem(part, f"{name!r} is not a declared field")
        elif definition is None:
            continue  # the field itself has a problem, reported where it is declared
        elif definition.type is not kind:
            s.problem(part, f"the {part} must be a field of type {kind.value}, not {name!r}")
        elif part == "reference" and not definition.system:
            s.problem(part, f"{name!r} must be a system field: clientkeep sets the reference")
        else:
            chosen[part] = name
    taken: dict[str, str] = {}
    for part, name in chosen.items():
        if name in taken:
            s.problem(part, f"{name!r} already plays the {taken[name]} part")
        taken[name] = part
    s.finish()
    if any(required and part not in chosen for part, (_, required) in PARTS.items()):
        return None
    return FieldRoles(**chosen)


def read_default_purpose(doc: Section, purposes: dict[str, Purpose | None]) -> str | None:
    name = doc.text("default_purpose")
    if name is None:
        return None
    if name not in purposes:
        doc.problem("default_purpose", f"{name!r} is not a declared purpose")
        return None
    chosen = purposes[name]
    if chosen is not None and chosen.compare_only >= chosen.fields:
        doc.problem("default_purpose", f"{name!r} only compares: staff could see nothing under it")
        return None
    return name
