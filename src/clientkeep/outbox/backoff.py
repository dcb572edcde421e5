"""When to try a failed message again, and what of a failure may be kept."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import timedelta

from clientkeep.outbox.model import DeliveryRules

ERROR_MAX = 300
REDACTED = "[redacted]"
# Lines of a message shorter than this are too common ("Hello") to be worth redacting alone.
_SHORTEST_REDACTED = 6


def retry_delay(rules: DeliveryRules, attempts: int, jitter: Callable[[], float]) -> timedelta:
    """Exponential back-off with jitter: after the n-th failed attempt, the first delay
    doubled n-1 times (at most the longest), scaled by a random factor in [0.5, 1.5) so
    messages failing together do not all come back at the same moment."""
    doubled = rules.first_delay * (2 ** max(attempts - 1, 0))
    base = min(doubled, rules.longest_delay)
    scaled: timedelta = base * (0.5 + jitter())
    return scaled


def safe_error(reason: str, secrets: Iterable[str]) -> str:
    """A failure's text as it may be stored and shown: the message's own parts (recipient,
    subject, each line of the body) taken out wherever a provider quoted them, control
    characters flattened, and short."""
    text = " ".join(reason.split())
    pieces = {" ".join(s.split()) for secret in secrets for s in [secret, *secret.splitlines()]}
    for piece in sorted((p for p in pieces if len(p) >= _SHORTEST_REDACTED), key=len, reverse=True):
        text = re.sub(re.escape(piece), REDACTED, text, flags=re.IGNORECASE)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text[:ERROR_MAX] or "failed"
