"""The canary customer of the verification scans: a date of birth, postcode and phone no other
test uses, the reference clientkeep gives them, and wrong answers as distinctive; and a scan
that finds any form of them in text (a page, a body, a header, a log line, an audit event).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FIELDS = {
    "given_name": "Canary",
    "family_name": "Scanwell",
    "email": "canary.scan@example.org",
    "phone": "01856 873731",
    "postcode": "KW17 2QJ",
    "date_of_birth": "1947-08-29",
    "address_line1": "3 Canary Wharf Lane",
    "town": "Kirkwall",
}
# What the caller states when right, and when wrong (each a different, distinctive value).
RIGHT = {"date_of_birth": "29 August 1947", "postcode": "kw172qj"}
WRONG = {"date_of_birth": "11/02/1952", "postcode": "ZE2 9AE", "phone_last_four": "5519"}

# Every form a held or stated value might take: as typed, as stored, without spaces.
HELD_FORMS = (
    "1947-08-29",
    "29/08/1947",
    "29 August 1947",
    "19470829",
    "29081947",
    "KW17 2QJ",
    "KW172QJ",
    "+441856873731",
    "01856 873731",
    "01856873731",
    "1856873731",
    "873731",
    "3731",
)
STATED_FORMS = ("1952-02-11", "11/02/1952", "19520211", "ZE2 9AE", "ZE29AE", "5519")
# Long runs of hex (hashes, seals) could hold any four digits by chance: not a value.
_HEX = re.compile(r"[0-9a-f]{32,}", re.IGNORECASE)
# Nor the fraction of a second of a time (09:30:00.373152).
_FRACTION = re.compile(r"(?<=\d\d:\d\d:\d\d)\.\d+")


def forms_of_reference(reference: str) -> tuple[str, ...]:
    """The reference as shown (CK-7KQ4-M2PX) and as compared (7KQ4M2PX)."""
    body = reference.split("-", 1)[1].replace("-", "")
    return (reference, body)


def found_in(text: str, canaries: Iterable[str]) -> list[str]:
    """Which canaries ``text`` holds, case and spacing ignored."""
    squeezed = re.sub(r"\s+", "", _FRACTION.sub("", _HEX.sub("", text))).casefold()
    return [c for c in canaries if re.sub(r"\s+", "", c).casefold() in squeezed]
