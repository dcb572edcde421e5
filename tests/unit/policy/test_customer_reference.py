"""Customer references are short, random and readable aloud."""

from __future__ import annotations

import re


def test_a_new_reference_looks_like_ck_four_dash_four(policy) -> None:
    reference = policy.customer_reference.new()
    assert re.fullmatch(r"CK-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", reference), reference


def test_references_are_random(policy) -> None:
    assert len({policy.customer_reference.new() for _ in range(50)}) == 50


def test_the_alphabet_has_no_characters_easily_misread(policy) -> None:
    assert not set("0O1IL") & set(policy.customer_reference.alphabet)
