"""The credential an event records says how the actor acted: web, API, command line, system."""

from __future__ import annotations

import pytest

from clientkeep.audit.via import Channel, via


@pytest.mark.parametrize(
    ("credential", "channel", "os_user", "label"),
    [
        ("session:ses_abc", Channel.WEB, None, "web session"),
        ("token:tok_abc", Channel.API, None, "API token"),
        ("token", Channel.API, None, "API token"),
        ("cli:alice", Channel.CLI, "alice", "command line as alice"),
        ("cli", Channel.CLI, None, "command line"),
        ("cli:", Channel.CLI, None, "command line"),
        ("system", Channel.SYSTEM, None, "system"),
        ("password", Channel.PASSWORD, None, "password sign-in"),
        ("test", Channel.OTHER, None, "other"),
    ],
)
def test_each_credential_form_names_its_channel(credential, channel, os_user, label) -> None:
    found = via(credential)
    assert (found.channel, found.os_user, found.label) == (channel, os_user, label)


def test_only_the_text_after_cli_is_the_os_user() -> None:
    assert via("cli:svc:backup").os_user == "svc:backup"
    assert via("session:cli:alice").channel is Channel.WEB
