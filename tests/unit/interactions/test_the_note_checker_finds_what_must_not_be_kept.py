"""The note checker's hits: each kind found, by field and offsets, never by text."""

from __future__ import annotations

import pytest

from clientkeep.interactions.note_check import HitKind, check, check_all, kinds_of, redact


def found(text: str) -> list[tuple[HitKind, str]]:
    return [(h.kind, text[h.start : h.end]) for h in check("nature", text)]


@pytest.mark.parametrize(
    "card", ["4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005"]
)
def test_a_luhn_valid_card_number_is_found_with_or_without_separators(card: str) -> None:
    assert found(f"paid with {card} today") == [(HitKind.CARD, card)]


def test_sort_codes_and_account_numbers_are_found_near_their_words() -> None:
    text = "Bank sort code 20-00-00, account 12345678."
    assert found(text) == [(HitKind.SORT_CODE, "20-00-00"), (HitKind.ACCOUNT_NUMBER, "12345678")]
    assert found("sort code 200000") == [(HitKind.SORT_CODE, "200000")]
    assert found("s/c 20 00 00 a/c 87654321") == [
        (HitKind.SORT_CODE, "20 00 00"),
        (HitKind.ACCOUNT_NUMBER, "87654321"),
    ]


def test_an_account_number_beside_a_sort_code_is_found_without_the_word() -> None:
    assert found("sort code 40-11-62 then 31926819") == [
        (HitKind.SORT_CODE, "40-11-62"),
        (HitKind.ACCOUNT_NUMBER, "31926819"),
    ]


@pytest.mark.parametrize("ni", ["QQ123456C".replace("QQ", "AB"), "AB 12 34 56 C", "ab123456d"])
def test_national_insurance_numbers_are_found_spaced_or_not(ni: str) -> None:
    assert found(f"her NI is {ni}.") == [(HitKind.NI_NUMBER, ni)]


def test_a_password_after_is_was_colon_or_equals_is_the_token() -> None:
    assert found("said the password is Tiger99! so I") == [(HitKind.PASSWORD, "Tiger99!")]
    assert found("PIN: 4321") == [(HitKind.PASSWORD, "4321")]
    assert found("pwd=hunter2") == [(HitKind.PASSWORD, "hunter2")]


@pytest.mark.parametrize("word", ["cancer", "Diabetes", "pregnant", "HIV", "wheelchair", "chemo"])
def test_health_words_are_found_as_whole_words(word: str) -> None:
    assert found(f"mentioned {word} twice") == [(HitKind.HEALTH, word)]


def test_hits_carry_their_field_and_offsets_and_redact_replaces_each() -> None:
    texts = {"nature": "card 4111111111111111", "actions_taken": "noted her diabetes"}
    hits = check_all(texts)
    assert [(h.field, h.kind, h.start, h.end) for h in hits] == [
        ("nature", HitKind.CARD, 5, 21),
        ("actions_taken", HitKind.HEALTH, 10, 18),
    ]
    assert redact(texts["nature"], hits[:1]) == "card [card number removed]"
    assert redact(texts["actions_taken"], hits[1:]) == "noted her [health detail removed]"
    assert kinds_of(hits) == ("card", "health")
