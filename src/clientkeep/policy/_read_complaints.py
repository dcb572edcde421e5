"""Reading ``[complaints]``: the purpose complaints are held under, the nation whose bank
holidays working days skip, and each type of complaint with its clocks."""

from __future__ import annotations

from clientkeep.policy._frozen import FrozenMap
from clientkeep.policy._reader import Section
from clientkeep.policy.complaint_rules import (
    ComplaintRules,
    ComplaintType,
    DayCount,
    Deadline,
    Nation,
)
from clientkeep.policy.model import FieldRoles, Purpose

# No clock a policy could mean runs longer than a year.
MAX_DAYS = 366


def read_complaints(
    doc: Section, purposes: dict[str, Purpose | None], parts: FieldRoles | None
) -> ComplaintRules | None:
    """None when the policy keeps no complaints (no ``[complaints]`` table). ``parts`` is
    None when ``[field_roles]`` has problems of its own, reported there."""
    if "complaints" not in doc.data:
        return None
    s = doc.table("complaints")
    if s is None:
        return None
    purpose = s.text("purpose")
    nation = s.choice("nation", Nation)
    nearly = s.integer("nearly_due_working_days", minimum=0)
    types = {name: _read_type(name, t) for name, t in s.tables("types")}
    s.finish()
    if purpose is not None:
        chosen = purposes.get(purpose)
        details_field = parts.complaint_details if parts else None
        if purpose not in purposes:
            s.problem("purpose", f"{purpose!r} is not a declared purpose")
        elif parts is None:
            pass
        elif details_field is None:
            s.problem(
                "purpose",
                "name the notes field complaints are held as in [field_roles] complaint_details",
            )
        elif chosen is not None and details_field not in chosen.fields:
            s.problem("purpose", f"{purpose!r} must use {details_field!r}, the complaint details")
    if purpose is None or nation is None or nearly is None or not all(types.values()):
        return None
    return ComplaintRules(
        purpose=purpose,
        nation=nation,
        nearly_due_working_days=nearly,
        types=FrozenMap({n: t for n, t in types.items() if t is not None}),
    )


def _read_type(name: str, s: Section) -> ComplaintType | None:
    label, description, rule = s.text("label"), s.text("description"), s.text("rule")
    acknowledge = _deadline(s, "acknowledge")
    final = _deadline(s, "final_response")
    outcome_acknowledges = s.boolean("outcome_acknowledges")
    hold_stops_clock = s.boolean("hold_stops_clock")
    referral = s.text("referral")
    s.finish()
    if acknowledge and final and _days(acknowledge) > _days(final):
        s.problem(
            "acknowledge_within", "the acknowledgement cannot be due after the final response"
        )
    if not (label and description and rule and acknowledge and final and referral):
        return None
    if outcome_acknowledges is None or hold_stops_clock is None:
        return None
    return ComplaintType(
        name=name,
        label=label,
        description=description,
        rule=rule,
        acknowledge=acknowledge,
        final_response=final,
        outcome_acknowledges=outcome_acknowledges,
        hold_stops_clock=hold_stops_clock,
        referral=referral,
    )


def _deadline(s: Section, clock: str) -> Deadline | None:
    within = s.integer(f"{clock}_within")
    counted_in = s.choice(f"{clock}_counted_in", DayCount)
    if within is None or counted_in is None:
        return None
    found = Deadline(within=within, counted_in=counted_in)
    if _days(found) > MAX_DAYS:
        s.problem(f"{clock}_within", f"at most a year ({MAX_DAYS} days)")
        return None
    return found


def _days(deadline: Deadline) -> int:
    """Roughly how many calendar days a deadline spans, to compare two (a working week is 7)."""
    per = {DayCount.WORKING_DAYS: 7 / 5, DayCount.CALENDAR_DAYS: 1, DayCount.WEEKS: 7}
    return round(deadline.within * per[deadline.counted_in])
