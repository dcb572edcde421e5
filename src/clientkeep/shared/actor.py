"""Who is acting: every use case is told, and every audit event records it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    role: str
    # How the actor proved who they are: "session:ses_...", "token:tok_...", "cli".
    credential: str = "cli"
    request_id: str | None = None


SYSTEM = Actor(id="system", name="system", role="system", credential="system")
