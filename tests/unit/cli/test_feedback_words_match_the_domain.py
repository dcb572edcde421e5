"""The channels, categories and groupings the feedback commands' help writes out are the
domain's own."""

from __future__ import annotations

from clientkeep.adapters.cli import feedback as feedback_cli
from clientkeep.adapters.cli import satisfaction_report
from clientkeep.feedback.reports import GROUPINGS
from clientkeep.interactions.vocabulary import CATEGORIES, CHANNELS


def test_the_feedback_commands_name_the_domains_values() -> None:
    assert feedback_cli.CHANNELS == CHANNELS
    assert feedback_cli.CATEGORIES == CATEGORIES
    assert satisfaction_report.GROUPINGS == GROUPINGS
