"""How an actor acted, read from the credential an event records.

An auditor asks "who did this, and from where?": a web session, an API token, the command
line (as which operating-system account), or the software itself. The credential column holds
the answer in the form each entry point writes: ``session:<id>``, ``token:<id>``,
``cli:<os user>``, ``system``; ``password`` and ``token`` alone for failed attempts, before
any session or token is known. Older CLI events say only ``cli``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    WEB = "web"
    API = "api"
    CLI = "cli"
    SYSTEM = "system"
    # A password checked before any session existed (web or CLI).
    PASSWORD = "password"  # noqa: S105 - a channel, not a secret
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Via:
    channel: Channel
    # The operating-system account that ran a CLI command, when the event names it.
    os_user: str | None = None

    @property
    def label(self) -> str:
        """Words for a person reading the trail."""
        if self.channel is Channel.CLI:
            return f"command line as {self.os_user}" if self.os_user else "command line"
        return _LABELS[self.channel]


_LABELS = {
    Channel.WEB: "web session",
    Channel.API: "API token",
    Channel.SYSTEM: "system",
    Channel.PASSWORD: "password sign-in",
    Channel.OTHER: "other",
}


def via(credential: str) -> Via:
    kind, colon, rest = credential.partition(":")
    if kind == "session":
        return Via(Channel.WEB)
    if kind == "token":
        return Via(Channel.API)
    if kind == "cli":
        return Via(Channel.CLI, rest if colon and rest else None)
    if credential == "system":
        return Via(Channel.SYSTEM)
    if credential == "password":
        return Via(Channel.PASSWORD)
    return Via(Channel.OTHER)
