"""Validating and normalising customer values, and the terms that index them for search."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import email_validator
import jellyfish
import phonenumbers

from clientkeep.policy.model import FieldDef, FieldType
from clientkeep.shared.errors import InvalidInput

MAX_RAW = 4096
_POSTCODE = re.compile(
    r"^(GIR 0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]([0-9ABEHMNPRV-Y])?|[0-9][A-HJKPS-UW])"
    r" [0-9][ABD-HJLNP-UW-Z]{2})$"
)
_NAME_OK = re.compile(r"^[^\W\d_]+(?:[ \-'\u2019.][^\W\d_]*)*\.?$")
_COUNTRY_WORDS = {
    "UK": "GB",
    "UNITED KINGDOM": "GB",
    "GREAT BRITAIN": "GB",
    "ENGLAND": "GB",
    "SCOTLAND": "GB",
    "WALES": "GB",
    "NORTHERN IRELAND": "GB",
    "BRITAIN": "GB",
}
NICKNAME_GROUPS = [
    {"jon", "john", "johnny", "jonathan"},
    {"bill", "will", "william", "billy"},
    {"bob", "rob", "robert", "bobby"},
    {"liz", "beth", "elizabeth", "lizzie"},
    {"kate", "katie", "catherine", "kathryn"},
    {"tom", "thomas", "tommy"},
    {"jim", "james", "jimmy"},
    {"dave", "david"},
    {"mike", "michael"},
    {"sam", "samuel", "samantha"},
    {"alex", "alexander", "alexandra"},
    {"chris", "christopher", "christine"},
    {"dan", "daniel", "danny"},
    {"matt", "matthew"},
    {"nick", "nicholas"},
    {"steve", "stephen", "steven"},
    {"andy", "andrew"},
    {"tony", "anthony"},
    {"ben", "benjamin"},
    {"jen", "jenny", "jennifer"},
    {"sue", "susan"},
    {"maggie", "margaret", "peggy"},
    {"pat", "patrick", "patricia"},
    {"ed", "ted", "edward"},
]


def _bad(field: FieldDef, message: str) -> InvalidInput:
    return InvalidInput([(field.name, message)])


def _clean(raw: str) -> str:
    return " ".join(unicodedata.normalize("NFC", raw).split())


# Characters a value may hold though they are not printable: whitespace, which every value
# has folded to single spaces before it is stored.
_FOLDED_WHITESPACE = frozenset("\t\n\r")
# Unicode categories never accepted in a value: controls (Cc), format characters (Cf: the
# bidirectional overrides and isolates, zero-width spaces and joiners, the byte-order mark,
# the soft hyphen), lone surrogates (Cs) and private-use characters (Co). Each is invisible
# or shows as nothing in particular: a name holding U+202E reads backwards from where it sits,
# one holding U+200B looks like another name yet matches nothing.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})


def invisible_character(raw: str) -> tuple[int, str] | None:
    """The first refused character of ``raw`` and its 1-based position, or None."""
    if raw.isprintable():  # in C, and true of nearly every value
        return None
    for position, ch in enumerate(raw, start=1):
        if ch in _FOLDED_WHITESPACE:
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            return position, ch
    return None


def invisible_message(position: int, ch: str) -> str:
    """Names the character by its code point and Unicode name, never by the value around it."""
    name = unicodedata.name(ch, "")
    if not name:
        name = "CONTROL CHARACTER" if unicodedata.category(ch) == "Cc" else "UNNAMED CHARACTER"
    return f"Remove the invisible character (U+{ord(ch):04X} {name}) at position {position}."


def normalise(field: FieldDef, raw: str, *, today: date, accept_unlisted: bool = False) -> str:
    """The value as stored. A phone number outside the ranges known to be in use raises
    ``UnlistedPhoneNumber`` unless ``accept_unlisted`` says staff read it back. Invisible and
    control characters are refused in every type of field, naming the first of them."""
    if len(raw) > MAX_RAW:
        raise _bad(field, f"Use at most {field.max_length or MAX_RAW} characters.")
    found = invisible_character(raw)
    if found is not None:
        raise _bad(field, invisible_message(*found))
    if not raw.strip():
        raise _bad(field, f"Enter the {field.label.lower()}.")
    if field.type is FieldType.PHONE:
        value = _phone(field, raw, today, accept_unlisted=accept_unlisted)
    else:
        value = _NORMALISERS[field.type](field, raw, today)
    if field.max_length is not None and len(value) > field.max_length:
        raise _bad(field, f"Use at most {field.max_length} characters.")
    return value


def _text(field: FieldDef, raw: str, today: date) -> str:
    # Control characters were refused by ``normalise`` before any type's own rules.
    return _clean(raw)


def _name(field: FieldDef, raw: str, today: date) -> str:
    value = _text(field, raw, today)
    if not any(ch.isalpha() for ch in value) or not _NAME_OK.match(value):
        raise _bad(field, "Use letters, spaces, hyphens and apostrophes only.")
    return value


def _email(field: FieldDef, raw: str, today: date) -> str:
    try:
        result = email_validator.validate_email(raw.strip(), check_deliverability=False)
    except email_validator.EmailNotValidError:
        raise _bad(
            field, "Enter an email address in the right format, such as name@example.com."
        ) from None
    return str(result.normalized)


# What a phone number may be written with: digits, a leading +, and the usual separators.
# Letters are refused rather than read as a keypad word ("0800 FLOWERS"): staff type numbers.
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-]+$")
# UK national significant numbers are ten digits; the few nine-digit ones are all in ranges
# the phone library lists, so an unlisted UK number of any other length is a typing mistake.
_UK_UNLISTED_DIGITS = 10
UNLISTED_MESSAGE = (
    "This number is not in a range we know is in use. Read it back to the customer, and "
    "keep it only if they confirm it."
)


class UnlistedPhoneNumber(InvalidInput):
    """Well-formed phone numbers in no range the phone library lists as in use (Ofcom's drama
    ranges, pagers, ranges allocated since the library was built): kept only when staff say
    they read them back. ``fields`` are the fields holding such numbers; the errors may
    include other problems too, and the code says so only when these are all there is."""

    code = "unlisted_phone_number"

    def __init__(self, errors: list[tuple[str, str]], fields: frozenset[str]) -> None:
        super().__init__(errors)
        self.fields = fields
        if any(message != UNLISTED_MESSAGE for _, message in errors):
            self.code = InvalidInput.code


def parse_phone(raw: str) -> phonenumbers.PhoneNumber | None:
    """The number ``raw`` could be (UK unless it starts with + or 00), listed or not; None
    for what cannot be a phone number at all."""
    text = raw.strip()
    if not _PHONE_CHARS.match(text):
        return None
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(number):
        return number
    if not phonenumbers.is_possible_number(number):
        return None
    if number.country_code == 44 and len(str(number.national_number)) != _UK_UNLISTED_DIGITS:
        return None
    return number


def is_listed(number: phonenumbers.PhoneNumber) -> bool:
    """Whether the number is in a range the phone library knows is in use."""
    return bool(phonenumbers.is_valid_number(number))


def e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_is_unlisted(stored: str) -> bool:
    """Whether a stored (E.164) number lies outside the ranges known to be in use."""
    number = parse_phone(stored)
    return number is not None and not is_listed(number)


def _phone(field: FieldDef, raw: str, today: date, *, accept_unlisted: bool = False) -> str:
    number = parse_phone(raw)
    if number is None:
        raise _bad(field, "Enter a UK phone number, or an international one starting with +.")
    if not accept_unlisted and not is_listed(number):
        raise UnlistedPhoneNumber([(field.name, UNLISTED_MESSAGE)], frozenset({field.name}))
    return e164(number)


def tidy_postcode(raw: str) -> str:
    compact = re.sub(r"\s+", "", raw).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def _postcode(field: FieldDef, raw: str, today: date) -> str:
    value = tidy_postcode(raw)
    if not _POSTCODE.match(value):
        raise _bad(field, "Enter a real UK postcode, such as SW1A 1AA.")
    return value


# Months as people say and write them: "14 March 1979", "14th Mar 1979", "March 14 1979".
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DAY_MONTH_YEAR = re.compile(rf"{_DAY}\s+([a-z]+)\.?,?\s+(\d{{4}})")
_MONTH_DAY_YEAR = re.compile(rf"([a-z]+)\.?\s+{_DAY},?\s+(\d{{4}})")
# Day first, as the UK writes dates, with any of / . - between; or ISO's year first.
_UK_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _parse_date(text: str) -> date:
    """A date in one of the ways staff type what a customer says; ValueError otherwise."""
    lowered = " ".join(text.lower().split())
    if found := _UK_NUMERIC.fullmatch(lowered):
        return date(int(found[3]), int(found[2]), int(found[1]))
    if found := _ISO.fullmatch(lowered):
        return date(int(found[1]), int(found[2]), int(found[3]))
    if found := _DAY_MONTH_YEAR.fullmatch(lowered):
        day, month, year = found[1], found[2], found[3]
    elif found := _MONTH_DAY_YEAR.fullmatch(lowered):
        month, day, year = found[1], found[2], found[3]
    else:
        raise ValueError(text)
    if month not in _MONTHS:
        raise ValueError(text)
    return date(int(year), _MONTHS[month], int(day))


def _date(field: FieldDef, raw: str, today: date) -> str:
    try:
        value = _parse_date(raw.strip())
    except ValueError:
        raise _bad(
            field, "Enter a real date, such as 10/12/1985, 10 December 1985 or 1985-12-10."
        ) from None
    if value > today:
        raise _bad(field, "The date cannot be in the future.")
    if (today.year - value.year) - ((today.month, today.day) < (value.month, value.day)) > 130:
        raise _bad(field, "The date is more than 130 years ago.")
    return value.isoformat()


def _enum(field: FieldDef, raw: str, today: date) -> str:
    wanted = raw.strip().casefold()
    for choice in field.choices:
        if choice.casefold() == wanted:
            return choice
    raise _bad(field, f"Choose one of: {', '.join(field.choices)}.")


def _country(field: FieldDef, raw: str, today: date) -> str:
    text = _clean(raw).upper()
    code = _COUNTRY_WORDS.get(text, text)
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise _bad(field, "Enter a country as its two-letter code, such as GB.")
    return code


# Phone numbers are normalised by _phone, which also needs to know whether staff accepted an
# unlisted number.
_NORMALISERS = {
    FieldType.TEXT: _text,
    FieldType.NAME: _name,
    FieldType.EMAIL: _email,
    FieldType.POSTCODE: _postcode,
    FieldType.DATE: _date,
    FieldType.ENUM: _enum,
    FieldType.COUNTRY: _country,
}


def display(field: FieldDef, stored: str) -> str:
    if field.type is FieldType.PHONE:
        # Stored numbers are E.164: a UK one needs no parsing (and no validation) again,
        # which was most of the cost of showing a record.
        number: phonenumbers.PhoneNumber | None
        if stored.startswith("+44") and stored[3:].isdigit():
            number = phonenumbers.PhoneNumber(country_code=44, national_number=int(stored[3:]))
        else:
            number = parse_phone(stored)
        if number is None:
            return stored
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if number.country_code == 44
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return phonenumbers.format_number(number, style)
    return stored


def name_tokens(value: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return [t for t in re.split(r"[\s\-'\u2019.]+", plain) if t]


def phonetic(token: str) -> str:
    return jellyfish.metaphone(token) or token.upper()


def postcode_district(stored_postcode: str) -> str:
    return stored_postcode.split(" ")[0]


def name_variants(token: str) -> set[str]:
    """A name token's phonetic code, and its nicknames' ("bill" also stands for "william")."""
    codes = {phonetic(token)}
    for group in NICKNAME_GROUPS:
        if token in group:
            codes.update(phonetic(other) for other in group)
    return codes


def _name_terms(value: str, *, nicknames: bool) -> list[tuple[str, str]]:
    terms: list[tuple[str, str]] = []
    for token in name_tokens(value):
        terms += [("name", token), ("name_phonetic", phonetic(token))]
        if nicknames:
            for group in NICKNAME_GROUPS:
                if token in group:
                    terms += [("name_phonetic", phonetic(other)) for other in sorted(group)]
    return list(dict.fromkeys(terms))


def index_terms(field: FieldDef, stored: str) -> list[tuple[str, str]]:
    if field.type is FieldType.EMAIL:
        return [("email", stored.casefold())]
    if field.type is FieldType.PHONE:
        return [("phone", stored)]
    if field.type is FieldType.POSTCODE:
        return [
            ("postcode", stored.replace(" ", "")),
            ("postcode_district", postcode_district(stored)),
        ]
    if field.type is FieldType.NAME:
        return _name_terms(stored, nicknames=False)
    # A date of birth is indexed too, but which date field is the birth date is the policy's
    # to say: see index_terms.terms_of.
    return []


def query_terms(kind: str, raw: str) -> list[tuple[str, str]]:
    text = raw.strip()[:MAX_RAW]
    if kind == "email":
        return [("email", text.casefold())]
    if kind == "phone":
        number = parse_phone(text)
        if number is None:
            raise InvalidInput([("phone", "Enter a phone number to search for.")])
        # Listed or not, as stored: a number kept unlisted is found like any other.
        return [("phone", e164(number))]
    if kind == "postcode":
        tidy = tidy_postcode(text)
        if not _POSTCODE.match(tidy):
            raise InvalidInput(
                [("postcode", "Enter a UK postcode to search for, such as SW1A 1AA.")]
            )
        return [("postcode", tidy.replace(" ", ""))]
    if kind == "name":
        terms = _name_terms(text, nicknames=True)
        if not terms:
            raise InvalidInput([("name", "Enter a name to search for.")])
        return terms
    raise InvalidInput([("kind", "Search by email, phone, postcode or name.")])


def classify_query(raw: str) -> str:
    text = raw.strip()
    if "@" in text:
        return "email"
    if _POSTCODE.match(tidy_postcode(text)):
        return "postcode"
    digits = sum(ch.isdigit() for ch in text)
    if digits >= 7 and re.fullmatch(r"[\d\s+()\-.]+", text):
        return "phone"
    return "name"
