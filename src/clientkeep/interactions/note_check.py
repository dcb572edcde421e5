"""The note checker: what a free-text note must not hold without the agent knowing.

Notes of contacts are read by everyone who serves the customer, for years. Before one is
saved it is checked for payment card numbers (never stored: PCI DSS), bank sort codes and
account numbers, National Insurance numbers, passwords and words about someone's health
(special category data, UK GDPR Article 9). Each hit names its kind, the field and the
characters it spans, never the text; ``redact`` replaces each with a fixed phrase.

Pure and deterministic: no I/O, no policy. The misses matter as much as the hits: an order
number that fails the Luhn check, an 11-digit phone number, a date written 12-03-24 and the
word "hospitality" are not hits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class HitKind(StrEnum):
    CARD = "card"
    SORT_CODE = "sort_code"
    ACCOUNT_NUMBER = "account_number"
    NI_NUMBER = "ni_number"
    PASSWORD = "password"  # noqa: S105 (a kind of hit, not a secret)
    HEALTH = "health"


HIT_KINDS = tuple(k.value for k in HitKind)
# Never stored as written, whatever the agent says: only the redacted version may be saved.
NEVER_KEPT = frozenset({HitKind.CARD, HitKind.PASSWORD})

REMOVED: Mapping[HitKind, str] = {
    HitKind.CARD: "[card number removed]",
    HitKind.SORT_CODE: "[sort code removed]",
    HitKind.ACCOUNT_NUMBER: "[account number removed]",
    HitKind.NI_NUMBER: "[NI number removed]",
    HitKind.PASSWORD: "[password removed]",
    HitKind.HEALTH: "[health detail removed]",
}

WARNINGS: Mapping[HitKind, str] = {
    HitKind.CARD: "This looks like a payment card number. Card numbers are never stored: "
    "save the redacted version.",
    HitKind.SORT_CODE: "This looks like a bank sort code.",
    HitKind.ACCOUNT_NUMBER: "This looks like a bank account number.",
    HitKind.NI_NUMBER: "This looks like a National Insurance number.",
    HitKind.PASSWORD: "This looks like a password or PIN. Passwords are never stored: save "
    "the redacted version.",
    HitKind.HEALTH: "This mentions the customer's health (special category data). Keep it "
    "only if the note needs it.",
}


@dataclass(frozen=True, slots=True)
class Hit:
    kind: HitKind
    field: str
    # Character offsets into the field's text: text[start:end] is what was found.
    start: int
    end: int


# What may stand between the digit groups of a card number as people type and paste them: up
# to three spaces of any width (no-break, thin, ideographic), tabs or line breaks, dashes of
# any kind (hyphen, en and em dash, minus, fullwidth), dots, slashes or underscores. ``\d``
# takes any script's digits (fullwidth ones too), which ``int`` reads.
_SEPARATOR = r"[\s\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d.\u00b7\u2024\uff0e/\uff0f_]{1,3}"
# Digit groups with at most a short separator between them; a digit before the first (or
# after the last) would make it part of a longer number.
_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:" + _SEPARATOR + r"\d+)*(?!\d)")
_SORT_CODE = re.compile(r"(?<![\d-])(?:\d{2}-\d{2}-\d{2}|\d{2} \d{2} \d{2}|\d{6})(?![\d]|-\d)")
_EIGHT_DIGITS = re.compile(r"(?<![\d-])\d{8}(?![\d])")
_SORT_WORDS = re.compile(r"\bsort[ -]?codes?\b|\bs/c\b", re.IGNORECASE)
_ACCOUNT_WORDS = re.compile(r"\baccount\b|\bacc\b|\bacct\b|\ba/c\b|\baccount no\b", re.IGNORECASE)
_NI = re.compile(
    r"\b([A-Z]{2}) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])\b",
    re.IGNORECASE,
)
_NI_FIRST_REFUSED = frozenset("DFIQUV")
_NI_SECOND_REFUSED = frozenset("DFIOQUV")
_NI_NEVER_ISSUED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_PASSWORD = re.compile(
    r"\b(?:password|passcode|passwd|pin|pwd)\b\s*(?:is\b|was\b|:|=)\s*([^\s,;]+)",
    re.IGNORECASE,
)
# Words after "password is/was" that say what happened to it, not what it is.
_NOT_A_PASSWORD = frozenset(
    {
        "reset",
        "changed",
        "wrong",
        "incorrect",
        "correct",
        "forgotten",
        "forgot",
        "not",
        "expired",
        "updated",
        "sent",
        "locked",
        "blocked",
        "unlocked",
        "accepted",
        "rejected",
        "the",
        "a",
        "their",
        "his",
        "her",
        "too",
        "still",
        "now",
        "being",
        "needed",
        "required",
    }
)
# A curated list, whole words only (a plural "s" allowed): "hospitality" and "cancelled" miss.
HEALTH_WORDS = (
    "diagnosis",
    "diagnosed",
    "cancer",
    "tumour",
    "diabetes",
    "diabetic",
    "depression",
    "depressed",
    "anxiety",
    "pregnant",
    "pregnancy",
    "miscarriage",
    "hiv",
    "dementia",
    "alzheimer's",
    "alzheimers",
    "disability",
    "disabled",
    "wheelchair",
    "chemotherapy",
    "chemo",
    "radiotherapy",
    "medication",
    "prescription",
    "hospital",
    "hospitalised",
    "surgery",
    "epilepsy",
    "asthma",
    "autism",
    "autistic",
    "schizophrenia",
    "bipolar",
    "dialysis",
    "stroke",
    "terminal illness",
    "mental health",
)
_HEALTH = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in HEALTH_WORDS) + r")s?\b", re.IGNORECASE
)
# How far (characters) a sort code or account number may be from the words that say so.
_NEAR = 40
_BESIDE = 20
# Kinds earlier in this order win where two hits overlap.
_PRIORITY = (
    HitKind.CARD,
    HitKind.PASSWORD,
    HitKind.NI_NUMBER,
    HitKind.SORT_CODE,
    HitKind.ACCOUNT_NUMBER,
    HitKind.HEALTH,
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _cards(text: str) -> list[tuple[int, int]]:
    """Spans of 13-19 digits (short separators between groups) passing the Luhn check. A
    longer run of groups is searched for its longest such stretch of whole groups: only the
    stretches of at most 19 digits from each group, so a note of thousands of one-digit
    groups costs a few thousand checks, not billions."""
    found: list[tuple[int, int]] = []
    for run in _DIGIT_RUN.finditer(text):
        base = run.start()
        groups = [(base + m.start(), base + m.end()) for m in re.finditer(r"\d+", run.group())]
        i = 0
        while i < len(groups):
            best: int | None = None
            digits = ""
            for j in range(i, len(groups)):
                digits += text[groups[j][0] : groups[j][1]]
                if len(digits) > 19:
                    break
                if len(digits) >= 13 and luhn_valid(digits):
                    best = j
            if best is not None:
                found.append((groups[i][0], groups[best][1]))
                i = best
            i += 1
    return found


def _near(pattern: re.Pattern[str], text: str, start: int, end: int, distance: int) -> bool:
    window = text[max(0, start - distance) : end + distance]
    return pattern.search(window) is not None


def _sort_codes(text: str) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end())
        for m in _SORT_CODE.finditer(text)
        if _near(_SORT_WORDS, text, m.start(), m.end(), _NEAR)
    ]


def _accounts(text: str, sort_codes: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    found = []
    for m in _EIGHT_DIGITS.finditer(text):
        beside = any(
            abs(m.start() - e) <= _BESIDE or abs(s - m.end()) <= _BESIDE for s, e in sort_codes
        )
        if beside or _near(_ACCOUNT_WORDS, text, m.start(), m.end(), _NEAR):
            found.append((m.start(), m.end()))
    return found


def _ni_numbers(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _NI.finditer(text):
        prefix = m.group(1).upper()
        if (
            prefix[0] in _NI_FIRST_REFUSED
            or prefix[1] in _NI_SECOND_REFUSED
            or prefix in _NI_NEVER_ISSUED
        ):
            continue
        found.append((m.start(), m.end()))
    return found


def _passwords(text: str) -> list[tuple[int, int]]:
    return [
        (m.start(1), m.end(1))
        for m in _PASSWORD.finditer(text)
        if m.group(1).casefold().strip(".") not in _NOT_A_PASSWORD
    ]


def check(field: str, text: str) -> list[Hit]:
    """Every hit in one field's text, in order, none overlapping another."""
    sort_codes = _sort_codes(text)
    spans: dict[HitKind, list[tuple[int, int]]] = {
        HitKind.CARD: _cards(text),
        HitKind.PASSWORD: _passwords(text),
        HitKind.NI_NUMBER: _ni_numbers(text),
        HitKind.SORT_CODE: sort_codes,
        HitKind.ACCOUNT_NUMBER: _accounts(text, sort_codes),
        HitKind.HEALTH: [(m.start(), m.end()) for m in _HEALTH.finditer(text)],
    }
    taken: list[Hit] = []
    for kind in _PRIORITY:
        for start, end in spans[kind]:
            if all(end <= h.start or start >= h.end for h in taken):
                taken.append(Hit(kind=kind, field=field, start=start, end=end))
    return sorted(taken, key=lambda h: h.start)


def check_all(texts: Mapping[str, str]) -> list[Hit]:
    """The hits in every field given, field by field."""
    return [hit for name, text in texts.items() for hit in check(name, text)]


def redact(text: str, hits: Iterable[Hit]) -> str:
    """``text`` with each hit replaced by its fixed phrase."""
    out = text
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        out = out[: hit.start] + REMOVED[hit.kind] + out[hit.end :]
    return out


def never_stored(field: str, text: str) -> list[tuple[str, str]]:
    """(field, message) for each card number or password in a text that offers no redacted
    version to save (a complaint's words, a feedback comment): the text is refused, naming
    the characters, never quoting them."""
    return [
        (field, f"{NEVER_STORED[h.kind]} (characters {h.start + 1}-{h.end})")
        for h in check(field, text)
        if h.kind in NEVER_KEPT
    ]


NEVER_STORED: Mapping[HitKind, str] = {
    HitKind.CARD: "This looks like a payment card number. Card numbers are never stored: "
    "remove it.",
    HitKind.PASSWORD: "This looks like a password or PIN. Passwords are never stored: remove it.",
}


def kinds_of(hits: Iterable[Hit]) -> tuple[str, ...]:
    """The kinds found, each once, in a fixed order (what the audit and the row record)."""
    found = {h.kind for h in hits}
    return tuple(k.value for k in HitKind if k in found)
