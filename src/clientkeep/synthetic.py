"""Reproducible synthetic UK customers for the demo and the benchmarks: no real person.

Names, postcodes, towns and dates come from Faker's ``en_GB`` provider (with a share of Irish,
Indian, Polish and Spanish names, as a UK customer book has). Phone numbers and email addresses
are built from the record's position so no two customers share one by accident: only injected
duplicates do, and each of those is written down with the record it copies and how it was
changed, so matching can be scored against the truth. Everything streams: memory stays flat at
any size.
"""

from __future__ import annotations

import csv
import json
import random
import unicodedata
from collections import OrderedDict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker

LOCALES = OrderedDict([("en_GB", 0.82), ("en_IE", 0.06), ("en_IN", 0.06), ("pl_PL", 0.03),
                       ("es_ES", 0.03)])  # fmt: skip
VARIATIONS = (
    "typo",
    "swapped_names",
    "nickname",
    "phone_reformatted",
    "missing_fields",
    "email_domain",
)
NICKNAMES = {
    "William": "Bill",
    "Robert": "Bob",
    "Elizabeth": "Liz",
    "Catherine": "Kate",
    "Thomas": "Tom",
    "James": "Jim",
    "David": "Dave",
    "Michael": "Mike",
    "Samuel": "Sam",
    "Alexander": "Alex",
    "Christopher": "Chris",
    "Daniel": "Dan",
    "Matthew": "Matt",
    "Nicholas": "Nick",
    "Stephen": "Steve",
    "Andrew": "Andy",
    "Anthony": "Tony",
    "Benjamin": "Ben",
    "Jennifer": "Jenny",
    "Susan": "Sue",
    "Margaret": "Maggie",
    "Patrick": "Pat",
    "Edward": "Ted",
    "John": "Jon",
}
ACCESSIBILITY = (
    "Large print letters, please.",
    "Uses a wheelchair: step-free access needed at appointments.",
    "Deaf: contact by email or text, or book a BSL interpreter.",
    "Partially sighted: prefers phone calls to letters.",
    "Has dyslexia: plain-language letters, please.",
)
_MOBILE_PREFIXES = ("74", "75", "77", "78", "79")
_LONDON_EXCHANGES = ("3", "7", "8")
# Multipliers coprime with 10**k make index -> number a permutation: unique, yet scattered.
_MOBILE_MIX, _LANDLINE_MIX = 48_271, 69_621


@dataclass(frozen=True, slots=True)
class SyntheticCustomer:
    """One record to register. ``key`` is the generator's own label, never stored."""

    key: str
    fields: dict[str, str]
    explicit_consent: frozenset[str] = frozenset()
    duplicate_of: str | None = None
    variation: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def _mobile(index: int, rng: random.Random) -> tuple[str, str]:
    """(shown as typed, canonical digits) for a UK mobile unique to ``index``."""
    digits = f"7{rng.choice(_MOBILE_PREFIXES)}{(index * _MOBILE_MIX + 1_234_567) % 10**7:07d}"
    national = f"0{digits[:4]} {digits[4:]}"
    styles = (national, f"+44 {digits[:4]} {digits[4:]}", f"0{digits}", f"+44{digits}")
    return rng.choice(styles), digits


def _landline(index: int, rng: random.Random) -> tuple[str, str]:
    number = f"{rng.choice(_LONDON_EXCHANGES)}{(index * _LANDLINE_MIX + 7_654_321) % 10**7:07d}"
    digits = f"20{number}"
    styles = (
        f"020 {number[:4]} {number[4:]}",
        f"(020) {number[:4]} {number[4:]}",
        f"+44 20 {number[:4]} {number[4:]}",
        f"+44 (0)20 {number[:4]} {number[4:]}",
    )
    return rng.choice(styles), digits


def _phone_styles(digits: str) -> tuple[str, ...]:
    if digits.startswith("20"):
        rest = digits[2:]
        return (f"020 {rest[:4]} {rest[4:]}", f"+44 20 {rest[:4]} {rest[4:]}", f"020{rest}")
    return (f"0{digits[:4]} {digits[4:]}", f"+44 {digits[:4]} {digits[4:]}", f"+44{digits}")


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.fake = Faker(LOCALES)
        self.fake.seed_instance(seed)
        self.gb = self.fake["en_GB"]
        self.locales, self.weights = list(LOCALES), list(LOCALES.values())

    def person(self, index: int) -> SyntheticCustomer:
        rng, fake, gb = self.rng, self.fake, self.gb
        local = fake[rng.choices(self.locales, self.weights)[0]]
        given = local.first_name()
        family = local.last_name()
        if rng.random() < 0.04:
            family = f"{family}-{gb.last_name()}"
        fields = {"given_name": given, "family_name": family}
        if rng.random() < 0.05:
            fields["preferred_name"] = NICKNAMES.get(given, given)
        if rng.random() < 0.9:
            domain = rng.choice((gb.free_email_domain(), gb.free_email_domain(), gb.domain_name()))
            mailbox = f"{_ascii(given)}.{_ascii(family)}{index}"
            fields["email"] = (mailbox if rng.random() < 0.8 else mailbox.title()) + "@" + domain
        typed, _ = (_mobile if rng.random() < 0.75 else _landline)(index, rng)
        if rng.random() < 0.9 or "email" not in fields:
            fields["phone"] = typed
        if rng.random() < 0.85:
            postcode = gb.postcode()
            if rng.random() < 0.1:
                postcode = postcode.lower()
            elif rng.random() < 0.1:
                postcode = postcode.replace(" ", "")
            fields["address_line1"] = f"{gb.building_number()} {gb.street_name()}"
            fields["town"] = gb.city()
            fields["postcode"] = postcode
        if rng.random() < 0.8:
            born = gb.date_of_birth(minimum_age=18, maximum_age=95)
            fields["date_of_birth"] = (
                born.isoformat() if rng.random() < 0.7 else born.strftime("%d/%m/%Y")
            )
        if rng.random() < 0.5:
            fields["preferred_contact"] = rng.choice(("email", "phone", "post", "sms"))
        consent: frozenset[str] = frozenset()
        if rng.random() < 0.01:
            fields["accessibility_needs"] = rng.choice(ACCESSIBILITY)
            consent = frozenset({"accessibility_needs"})
        return SyntheticCustomer(key=f"S{index:07d}", fields=fields, explicit_consent=consent)

    def variant(self, index: int, original: SyntheticCustomer) -> SyntheticCustomer:
        rng = self.rng
        fields = dict(original.fields)
        kind = rng.choice(VARIATIONS)
        if kind == "typo":
            name = rng.choice(("given_name", "family_name"))
            fields[name] = _typo(fields[name], rng)
        elif kind == "swapped_names":
            fields["given_name"], fields["family_name"] = (
                fields["family_name"],
                fields["given_name"],
            )
        elif kind == "nickname":
            short = NICKNAMES.get(fields["given_name"])
            if short is None:
                kind = "typo"
                fields["given_name"] = _typo(fields["given_name"], rng)
            else:
                fields["given_name"] = short
        elif kind == "phone_reformatted" and "phone" in fields:
            digits = "".join(ch for ch in fields["phone"] if ch.isdigit())
            digits = digits[2:] if digits.startswith("44") else digits
            digits = digits.removeprefix("0")
            others = [s for s in _phone_styles(digits) if s != fields["phone"]]
            fields["phone"] = rng.choice(others)
        elif kind == "missing_fields" and (droppable := _droppable(fields)):
            for name in rng.sample(droppable, k=min(len(droppable), rng.randint(1, 2))):
                del fields[name]
        elif kind == "email_domain" and "email" in fields:
            local = fields["email"].split("@", 1)[0]
            fields["email"] = f"{local}@{self.gb.free_email_domain()}"
        else:
            kind = "typo"
            fields["family_name"] = _typo(fields["family_name"], rng)
        return SyntheticCustomer(
            key=f"S{index:07d}",
            fields=fields,
            explicit_consent=original.explicit_consent & set(fields),
            duplicate_of=original.key,
            variation=kind,
        )


def _droppable(fields: dict[str, str]) -> list[str]:
    # Never the only way to reach the customer: the policy needs one of them.
    keep_email = "phone" not in fields and "postcode" not in fields
    names = (
        ("date_of_birth", "preferred_contact")
        if keep_email
        else ("email", "date_of_birth", "preferred_contact")
    )
    return [name for name in names if name in fields]


def _typo(name: str, rng: random.Random) -> str:
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if len(letters) < 3:
        return name + name[-1]
    i = rng.choice(letters[1:])
    action = rng.choice(("swap", "drop", "double", "replace"))
    if action == "swap" and i + 1 < len(name) and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if action == "drop":
        return name[:i] + name[i + 1 :]
    if action == "double":
        return name[:i] + name[i] + name[i:]
    vowels = "aeiou"
    swap = rng.choice([v for v in vowels if v != name[i].lower()])
    return name[:i] + swap + name[i + 1 :]


def generate(
    count: int, *, seed: int = 1, duplicate_rate: float = 0.0
) -> Iterator[SyntheticCustomer]:
    """``count`` records in all, of which about ``duplicate_rate`` copy an earlier one."""
    if count < 0 or not 0.0 <= duplicate_rate < 1.0:
        raise ValueError("count must be >= 0 and duplicate_rate in [0, 1)")
    gen = _Generator(seed)
    # Duplicates copy a recent original; a bounded window keeps memory flat.
    recent: deque[SyntheticCustomer] = deque(maxlen=2_000)
    for index in range(count):
        if recent and gen.rng.random() < duplicate_rate:
            yield gen.variant(index, gen.rng.choice(recent))
        else:
            person = gen.person(index)
            recent.append(person)
            yield person


def customers(n: int, seed: int = 1) -> Iterator[dict[str, str]]:
    """Just the fields of ``n`` customers with no duplicates, one at a time."""
    for record in generate(n, seed=seed):
        yield record.fields


def write_dataset(
    data: Path, truth: Path, count: int, *, seed: int = 1, duplicate_rate: float = 0.02
) -> int:
    """Write records as JSON lines and the duplicates' truth as CSV beside them.

    Returns the number of injected duplicates.
    """
    duplicates = 0
    with data.open("w", encoding="utf-8") as out, truth.open("w", newline="") as truth_file:
        writer = csv.writer(truth_file)
        writer.writerow(["key", "duplicate_of", "variation"])
        for record in generate(count, seed=seed, duplicate_rate=duplicate_rate):
            line = {"key": record.key, "fields": record.fields}
            if record.explicit_consent:
                line["explicit_consent"] = sorted(record.explicit_consent)
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            if record.duplicate_of:
                duplicates += 1
                writer.writerow([record.key, record.duplicate_of, record.variation])
    return duplicates


def read_dataset(data: Path) -> Iterator[SyntheticCustomer]:
    with data.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            yield SyntheticCustomer(
                key=row["key"],
                fields=row["fields"],
                explicit_consent=frozenset(row.get("explicit_consent", ())),
            )


def read_truth(truth: Path) -> Iterator[tuple[str, str, str]]:
    """(duplicate's key, original's key, variation) per injected duplicate."""
    with truth.open(newline="") as rows:
        reader = csv.reader(rows)
        next(reader)
        yield from reader
