"""What a merge will make, worked out before it is made and again when it is confirmed.

The supervisor sees the merged record as it will read: a value both records hold alike (after
normalisation) is shown once and offered as no choice; where they differ one is picked; the
name is picked whole (given, family and preferred name together), never part by part, so a
merge never makes a name neither person has. The preview carries a digest of the two records
as they stood and of the choices made; the merge recomputes it from the records under lock
and refuses when it differs, so what is merged is what was previewed.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import AuditEntry, entry_for
from clientkeep.customers import values
from clientkeep.customers._records import load
from clientkeep.customers.model import Customer
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.shown import naming_shown
from clientkeep.customers.views import display_name
from clientkeep.policy import MERGE_CUSTOMERS
from clientkeep.policy.access import projection_for, require_capability
from clientkeep.policy.model import Policy, Projection
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import Conflict, InvalidInput
from clientkeep.shared.record_kinds import RecordKinds


class MergePreviewOutdated(Conflict):
    """A record changed between the preview and the confirmation: nothing was merged."""

    code = "merge_preview_outdated"

    def __init__(self) -> None:
        super().__init__(
            "One of the records changed after the preview was made; nothing was merged. "
            "Check the new preview and confirm again.",
            field="preview_digest",
        )


@dataclass(frozen=True, slots=True)
class MergeChoices:
    # The duplicate's whole name replaces the survivor's (every name part, together).
    name_from_duplicate: bool = False
    # Fields other than the name where the duplicate's value replaces the survivor's.
    take_from_duplicate: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One detail of the merged record: each side's value as staff read it, and the result."""

    name: str
    label: str
    survivor: str | None
    duplicate: str | None
    result: str | None
    # Both hold it and the values differ: the supervisor picks (never for a name part).
    choice: bool
    from_duplicate: bool
    in_name: bool
    # Where the result comes from: "both" (the same in each), "survivor", "duplicate", or
    # "neither" (a name part the chosen name does not have).
    source: str


@dataclass(frozen=True, slots=True)
class NameChoice:
    """The two names, each read whole; offered as a choice only where they differ."""

    survivor: str
    duplicate: str
    choice: bool
    from_duplicate: bool


@dataclass(frozen=True, slots=True)
class MergePreview:
    survivor_id: str
    duplicate_id: str
    purpose: str
    survivor_name: str
    duplicate_name: str
    result_name: str
    name: NameChoice
    rows: tuple[PreviewRow, ...]
    # What the merge asks of the record kinds: the duplicate's values the survivor takes...
    take: frozenset[str]
    # ...and the name parts the survivor ends without, so the chosen name stays whole.
    drop: frozenset[str]
    # (label, rows) of every kind of record the duplicate has: all of it moves.
    moves: tuple[tuple[str, int], ...]
    choices: MergeChoices
    digest: str


@dataclass(frozen=True, slots=True)
class PreviewMerge:
    duplicate_id: str
    purpose: str
    choices: MergeChoices = MergeChoices()


def name_parts(policy: Policy, projection: Projection) -> tuple[str, ...]:
    """The name fields the projection shows, in policy order: chosen together, as one."""
    roles = policy.field_roles
    wanted = {roles.given_name, roles.family_name, roles.preferred_name}
    return tuple(n for n in policy.fields if n in wanted and projection.shows(n))


def check_choices(policy: Policy, projection: Projection, choices: MergeChoices) -> None:
    """What can be refused before any record is read."""
    take = choices.take_from_duplicate
    if any(name not in policy.fields for name in take):
        raise InvalidInput([("take_from_duplicate", "Name only fields the policy declares.")])
    if policy.field_roles.reference in take:
        raise InvalidInput([("take_from_duplicate", "The survivor keeps its own reference.")])
    parts = set(name_parts(policy, projection))
    problems = [
        (f"take_from_duplicate.{n}", "Choose the name as a whole (name_from_duplicate).")
        for n in sorted(take & parts)
    ] + [
        (f"take_from_duplicate.{n}", f"Not a field shown under {projection.purpose}.")
        for n in sorted(take - parts)
        if not projection.shows(n)
    ]
    if problems:
        raise InvalidInput(problems)


def same_value(a: str, b: str) -> bool:
    """Equal once normalised: stored values are already in their type's form, so what is left
    is case, compatibility characters and spacing."""
    return _key(a) == _key(b)


def _key(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def whole_name(held: dict[str, str], parts: tuple[str, ...], policy: Policy) -> str:
    """A name read whole, every part it has: "Rhys Jones, known as Bob"."""
    roles = policy.field_roles
    main = " ".join(held[n] for n in parts if n in held and n != roles.preferred_name)
    preferred = held.get(roles.preferred_name or "") if roles.preferred_name in parts else None
    if preferred:
        return f"{main}, known as {preferred}" if main else preferred
    return main or "(no name shown)"


def build(
    survivor: Customer,
    duplicate: Customer,
    choices: MergeChoices,
    *,
    policy: Policy,
    projection: Projection,
    moves: tuple[tuple[str, int], ...],
) -> MergePreview:
    """The merged record as it will read; refuses a choice the two records do not offer."""
    parts = name_parts(policy, projection)
    mine_all = {n: r.value for n, r in survivor.fields.items()}
    theirs_all = {n: r.value for n, r in duplicate.fields.items()}
    names_differ = any(
        (mine_all.get(n) is None) != (theirs_all.get(n) is None)
        or not same_value(mine_all.get(n) or "", theirs_all.get(n) or "")
        for n in parts
    )
    problems: list[tuple[str, str]] = []
    if choices.name_from_duplicate and not names_differ:
        problems.append(("name_from_duplicate", "Both records hold the same name."))
    for n in sorted(choices.take_from_duplicate):
        if n not in theirs_all:
            problems.append((f"take_from_duplicate.{n}", "The duplicate holds no value here."))
        elif n in mine_all and same_value(mine_all[n], theirs_all[n]):
            problems.append((f"take_from_duplicate.{n}", "Both records hold the same value."))
    if problems:
        raise InvalidInput(problems)
    name_source = theirs_all if choices.name_from_duplicate else mine_all
    rows = []
    for n, definition in policy.fields.items():
        mine, theirs = mine_all.get(n), theirs_all.get(n)
        if not projection.shows(n) or (mine is None and theirs is None):
            continue
        differ = mine is not None and theirs is not None and not same_value(mine, theirs)
        if n in parts:
            from_duplicate = name_source is theirs_all and theirs is not None
            result = name_source.get(n)
        else:
            from_duplicate = mine is None or n in choices.take_from_duplicate
            result = theirs if from_duplicate else mine
        rows.append(
            PreviewRow(
                name=n,
                label=definition.label,
                survivor=_shown(policy, n, mine),
                duplicate=_shown(policy, n, theirs),
                result=_shown(policy, n, result),
                choice=differ and n not in parts and n != policy.field_roles.reference,
                from_duplicate=from_duplicate and differ,
                in_name=n in parts,
                source=_source(mine, theirs, result, from_duplicate),
            )
        )
    take = set(choices.take_from_duplicate)
    if choices.name_from_duplicate:
        take |= {n for n in parts if n in theirs_all}
    # The kinds bring across every value the survivor lacks; a name part the chosen name does
    # not have must not stay, or the result would be a name neither record holds.
    drop = frozenset(
        n for n in parts if n not in name_source and (n in mine_all or n in theirs_all)
    )
    result_values = {**theirs_all, **mine_all, **{n: theirs_all[n] for n in take}}
    for n in drop:
        result_values.pop(n, None)
    return MergePreview(
        survivor_id=survivor.id,
        duplicate_id=duplicate.id,
        purpose=projection.purpose,
        survivor_name=display_name(survivor, projection),
        duplicate_name=display_name(duplicate, projection),
        result_name=projection.display_name(result_values) or survivor.id,
        name=NameChoice(
            survivor=whole_name(mine_all, parts, policy),
            duplicate=whole_name(theirs_all, parts, policy),
            choice=names_differ and bool(parts),
            from_duplicate=choices.name_from_duplicate,
        ),
        rows=tuple(rows),
        take=frozenset(take),
        drop=drop,
        moves=moves,
        choices=choices,
        digest=digest_of(survivor, duplicate, choices, projection),
    )


def _source(mine: str | None, theirs: str | None, result: str | None, taken: bool) -> str:
    if result is None:
        return "neither"
    if mine is not None and theirs is not None and same_value(mine, theirs):
        return "both"
    return "duplicate" if taken else "survivor"


def _shown(policy: Policy, name: str, stored: str | None) -> str | None:
    return None if stored is None else values.display(policy.fields[name], stored)


def digest_of(
    survivor: Customer, duplicate: Customer, choices: MergeChoices, projection: Projection
) -> str:
    """A digest of what was previewed: both records' shown values, when every one of their
    fields last changed or was confirmed, and the choices.

    Values the projection does not show are left out (only their times go in), so the digest
    handed to the client cannot be used to guess a value it was not shown.
    """

    def state(customer: Customer) -> list[object]:
        return [
            customer.id,
            customer.updated_at.isoformat(),
            sorted(
                [
                    n,
                    r.value if projection.shows(n) else None,
                    r.updated_at.isoformat(),
                    r.confirmed_at.isoformat() if r.confirmed_at else None,
                ]
                for n, r in customer.fields.items()
            ),
        ]

    canonical = json.dumps(
        [
            projection.purpose,
            state(survivor),
            state(duplicate),
            choices.name_from_duplicate,
            sorted(choices.take_from_duplicate),
        ],
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def moves_of(
    uow: CustomerUnitOfWork, kinds: RecordKinds, duplicate_id: str
) -> tuple[tuple[str, int], ...]:
    """How many rows of each kind the duplicate has (read only: nothing moves yet)."""
    return tuple((kind.label, len(kind.rows(uow, duplicate_id))) for kind in kinds)


@records_denials("customer.merged", customer="survivor_id")
def preview_merge(
    survivor_id: str,
    cmd: PreviewMerge,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    kinds: RecordKinds,
) -> MergePreview:
    """The merged record as it would read now; writes nothing but the read's audit event."""
    require_capability(policy, actor.role, MERGE_CUSTOMERS, "merge customer records")
    projection = projection_for(policy, actor.role, cmd.purpose)
    if survivor_id == cmd.duplicate_id:
        raise InvalidInput([("duplicate_id", "A record cannot be merged into itself.")])
    check_choices(policy, projection, cmd.choices)
    with uow:
        survivor, duplicate = load(uow, survivor_id), load(uow, cmd.duplicate_id)
        preview = build(
            survivor,
            duplicate,
            cmd.choices,
            policy=policy,
            projection=projection,
            moves=moves_of(uow, kinds, duplicate.id),
        )
        uow.audit.append(shown_pair(actor, projection, survivor, duplicate, "merge preview"))
        uow.commit()
    return preview


def shown_pair(
    actor: Actor, projection: Projection, first: Customer, second: Customer, shown_for: str
) -> AuditEntry:
    """One read event naming both customers shown side by side, with the fields of each."""
    shown = {c.id: tuple(n for n in c.fields if projection.shows(n)) for c in (first, second)}
    return naming_shown(
        entry_for(
            actor,
            "customer.read",
            purpose=projection.purpose,
            fields=tuple(sorted({n for names in shown.values() for n in names})),
            detail={"shown_for": shown_for},
        ),
        shown,
    )
