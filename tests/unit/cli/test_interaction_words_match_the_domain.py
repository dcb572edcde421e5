"""The interaction commands write out the domain's words so `--help` need not load the
domain: channels, categories, outcomes, the note checker's kinds (and those never kept) and
the timeline's largest page are the domain's own."""

from __future__ import annotations

from clientkeep.adapters.cli import interactions as interaction_cli
from clientkeep.interactions import note_check
from clientkeep.interactions.timeline import MAX_LIMIT
from clientkeep.interactions.vocabulary import CATEGORIES, CHANNELS, OUTCOMES


def test_the_command_words_are_the_domains() -> None:
    assert interaction_cli.CHANNELS == CHANNELS
    assert interaction_cli.CATEGORIES == CATEGORIES
    assert interaction_cli.OUTCOMES == OUTCOMES
    assert interaction_cli.HIT_KINDS == note_check.HIT_KINDS
    assert set(interaction_cli.NEVER_KEPT) == {k.value for k in note_check.NEVER_KEPT}
    assert interaction_cli.TIMELINE_MAX == MAX_LIMIT
