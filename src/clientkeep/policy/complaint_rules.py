"""How the policy says complaints are handled: the types of complaint, each with its clocks.

The clocks are the regulator's or the law's (the FCA's DISP 1.6 for a regulated firm, DPA 2018
s164A for a data protection complaint) or the business's own targets, and the policy says
which: working days skip weekends and the bank holidays of the nation it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from clientkeep.policy._frozen import FrozenMap


class DayCount(StrEnum):
    WORKING_DAYS = "working_days"  # weekends and the nation's bank holidays skipped
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"


class Nation(StrEnum):
    """Whose bank holidays a working day skips."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


@dataclass(frozen=True, slots=True)
class Deadline:
    """Due at the end of the day ``within`` units after the day a complaint is received."""

    within: int
    counted_in: DayCount


@dataclass(frozen=True, slots=True)
class ComplaintType:
    name: str
    label: str
    description: str
    # Where the clocks come from, in words a supervisor can check.
    rule: str
    acknowledge: Deadline
    final_response: Deadline
    # An outcome given before the acknowledgement is due needs no separate acknowledgement.
    outcome_acknowledges: bool
    # Time on hold (waiting for the customer, say) is added to the deadlines.
    hold_stops_clock: bool
    # The customer's right to refer the complaint on (an ombudsman, the ICO), stated in the
    # final response letter.
    referral: str


@dataclass(frozen=True, slots=True)
class ComplaintRules:
    # Complaints are held under this purpose, which uses the complaint-details field.
    purpose: str
    nation: Nation
    # A deadline this many working days away or nearer is "nearly due".
    nearly_due_working_days: int
    types: Mapping[str, ComplaintType] = field(default_factory=FrozenMap)
