"""CSAT and NPS, worked out from counts of answers.

- CSAT is the share of CSAT answers that are 4 or 5 ("satisfied" or "very satisfied"), as a
  percentage of all CSAT answers.
- NPS is the percentage of NPS answers that are 9 or 10 (promoters) minus the percentage
  that are 0 to 6 (detractors); 7 and 8 (passives) count only in the total. It runs from
  -100 to 100.

Both are rounded to one decimal place, halves away from zero (66.65 -> 66.7, -12.25 ->
-12.3), and are None when there are no answers: a figure is always shown with the number of
answers behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SATISFIED_FROM = 4  # CSAT 4 and 5
PROMOTER_FROM = 9  # NPS 9 and 10
DETRACTOR_TO = 6  # NPS 0 to 6


def _percent(part: int, whole: int) -> float:
    exact = Decimal(100 * part) / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def csat_percent(satisfied: int, answers: int) -> float | None:
    """The share of CSAT answers of 4 or 5, in percent to one decimal place."""
    return None if answers == 0 else _percent(satisfied, answers)


def nps_score(promoters: int, detractors: int, answers: int) -> float | None:
    """Promoters' share minus detractors' share of the NPS answers, -100 to 100."""
    return None if answers == 0 else _percent(promoters - detractors, answers)


@dataclass(frozen=True, slots=True)
class Tally:
    """The answers behind one line of a report."""

    csat_answers: int = 0
    satisfied: int = 0
    nps_answers: int = 0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def csat(self) -> float | None:
        return csat_percent(self.satisfied, self.csat_answers)

    @property
    def nps(self) -> float | None:
        return nps_score(self.promoters, self.detractors, self.nps_answers)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            csat_answers=self.csat_answers + other.csat_answers,
            satisfied=self.satisfied + other.satisfied,
            nps_answers=self.nps_answers + other.nps_answers,
            promoters=self.promoters + other.promoters,
            passives=self.passives + other.passives,
            detractors=self.detractors + other.detractors,
        )


def tally(csat: Iterable[int] = (), nps: Iterable[int] = ()) -> Tally:
    """The tally of answers given one by one (what the repository counts in SQL)."""
    c, n = list(csat), list(nps)
    return Tally(
        csat_answers=len(c),
        satisfied=sum(1 for s in c if s >= SATISFIED_FROM),
        nps_answers=len(n),
        promoters=sum(1 for s in n if s >= PROMOTER_FROM),
        passives=sum(1 for s in n if DETRACTOR_TO < s < PROMOTER_FROM),
        detractors=sum(1 for s in n if s <= DETRACTOR_TO),
    )
