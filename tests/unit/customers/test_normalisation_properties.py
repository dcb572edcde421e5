"""Properties of normalisation: idempotent, and any common way of writing a UK phone number or
postcode finds the same record (the same blind-index terms)."""

from __future__ import annotations

from datetime import date

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from clientkeep.customers import values
from clientkeep.policy.loader import load_policy

POLICY = load_policy()
FIELDS = POLICY.fields
TODAY = date(2026, 11, 23)

# Valid UK numbers: London landlines, non-geographic and mobile ranges phonenumbers accepts.
uk_national = st.one_of(
    st.integers(0, 9_999_999).map(lambda n: f"020 3{n:07d}"),
    st.integers(0, 999_999).map(lambda n: f"07700 {100000 + n % 800000:06d}"),
    st.integers(0, 999_999).map(lambda n: f"0113 496 {n % 10000:04d}"),
).filter(lambda s: phonenumbers.is_valid_number(phonenumbers.parse(s, "GB")))

OUTWARD = ["SW1A", "EC1A", "W1A", "M1", "B33", "CR2", "DN55", "LS1", "BT1", "G1", "CF10", "N1"]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
postcodes = st.builds(
    lambda out, digit, a, b: f"{out} {digit}{a}{b}",
    st.sampled_from(OUTWARD),
    st.integers(0, 9),
    st.sampled_from(INWARD_LETTERS),
    st.sampled_from(INWARD_LETTERS),
)


def rewrite_phone(national: str, style: int) -> str:
    digits = national.replace(" ", "")
    rest = digits[1:]
    return [
        national,
        digits,
        f"+44 {rest}",
        f"0044 {rest}",
        f"+44 (0){rest}",
        f"({digits[:3]}) {digits[3:7]}-{digits[7:]}",
        f"{digits[:5]}-{digits[5:]}",
        f"+44-{rest[:3]}-{rest[3:]}",
    ][style]


def rewrite_postcode(code: str, spaces: str, lower_mask: int) -> str:
    compact = code.replace(" ", "")
    cased = "".join(ch.lower() if lower_mask >> i & 1 else ch for i, ch in enumerate(compact))
    return f"{cased[:-3]}{spaces}{cased[-3:]}"


@settings(max_examples=150, deadline=None)
@given(uk_national, st.integers(0, 7))
def test_any_common_form_of_a_uk_number_normalises_and_searches_the_same(national, style) -> None:
    stored = values.normalise(FIELDS["phone"], national, today=TODAY)
    written = rewrite_phone(national, style)
    assert values.normalise(FIELDS["phone"], written, today=TODAY) == stored
    assert values.query_terms("phone", written) == values.index_terms(FIELDS["phone"], stored)
    assert values.classify_query(written) == "phone"


@settings(max_examples=150, deadline=None)
@given(postcodes, st.sampled_from(["", " ", "  ", "\t"]), st.integers(0, 127))
def test_any_spacing_and_case_of_a_postcode_normalises_and_searches_the_same(
    code, spaces, mask
) -> None:
    stored = values.normalise(FIELDS["postcode"], code, today=TODAY)
    written = rewrite_postcode(code, spaces, mask)
    assert values.normalise(FIELDS["postcode"], written, today=TODAY) == stored
    terms = values.index_terms(FIELDS["postcode"], stored)
    assert values.query_terms("postcode", written)[0] in terms


names = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzÉéÅøßçÑ ' -")),
    min_size=1,
    max_size=30,
).map(lambda s: f"A{s}")
emails = st.builds(
    lambda local, domain: f"{local}@{domain}.Example.COM",
    st.from_regex(r"[a-z][a-z0-9.]{0,10}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
)
dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.tuples(st.just("given_name"), names),
        st.tuples(st.just("email"), emails),
        st.tuples(st.just("phone"), uk_national),
        st.tuples(st.just("postcode"), postcodes),
        st.tuples(st.just("date_of_birth"), dates.map(lambda d: d.strftime("%d/%m/%Y"))),
        st.tuples(st.just("preferred_contact"), st.sampled_from(["EMAIL", "Phone", "post", "sms"])),
        st.tuples(st.just("country"), st.sampled_from(["gb", "United Kingdom", "FR", "ie"])),
        st.tuples(st.just("town"), st.text(min_size=1, max_size=40).filter(str.strip)),
    )
)
def test_normalisation_is_idempotent(case) -> None:
    name, raw = case
    field = FIELDS[name]
    try:
        once = values.normalise(field, raw, today=TODAY)
    except Exception as exc:  # only invalid-input refusals are acceptable
        assert type(exc).__name__ == "InvalidInput"
        return
    assert values.normalise(field, once, today=TODAY) == once
