"""CSAT is the share of 4-5 answers and NPS the promoters' share minus the detractors', both
in percent to one decimal place, halves away from zero, and None with no answers."""

from __future__ import annotations

from clientkeep.feedback.scores import Tally, csat_percent, nps_score, tally


def test_ten_nps_answers_give_20() -> None:
    counted = tally(nps=[9, 9, 10, 8, 7, 6, 0, 10, 9, 3])
    assert (counted.promoters, counted.passives, counted.detractors) == (5, 2, 3)
    assert counted.nps == 20.0


def test_csat_counts_only_4_and_5_as_satisfied() -> None:
    assert tally(csat=[5, 4, 3, 2, 1]).csat == 40.0
    assert tally(csat=[4, 4, 1]).csat == 66.7
    assert tally(csat=[5, 1, 1]).csat == 33.3


def test_halves_round_away_from_zero() -> None:
    assert csat_percent(1333, 2000) == 66.7  # 66.65
    assert nps_score(0, 49, 400) == -12.3  # -12.25
    assert nps_score(49, 0, 400) == 12.3


def test_the_extremes_and_no_answers() -> None:
    assert tally(nps=[10, 9]).nps == 100.0
    assert tally(nps=[0, 6]).nps == -100.0
    assert Tally().csat is None and Tally().nps is None


def test_tallies_add_up() -> None:
    both = tally(csat=[5], nps=[9]) + tally(csat=[1], nps=[0])
    assert (both.csat, both.nps, both.csat_answers, both.nps_answers) == (50.0, 0.0, 2, 2)
