"""The values `clientkeep representative` writes out for `--help` stay equal to the domain's."""

from __future__ import annotations

from clientkeep.adapters.cli import representatives as cli
from clientkeep.verification import representative_model as model


def test_authorities_actions_and_decisions() -> None:
    assert cli.AUTHORITIES == model.AUTHORITIES
    assert cli.SCOPE_ACTIONS == model.SCOPE_ACTIONS
    assert cli.DECISIONS == model.DECISIONS
