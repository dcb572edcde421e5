"""Composite terms pair each name's sound with the other name's initial and the date of birth or
postcode, so the records of one person share a term even when the names are swapped or one has
a typo, and two people who share only a first name and a birthday share none."""

from __future__ import annotations

from clientkeep.customers.index_terms import composite_terms, reindexed_fields
from clientkeep.customers.services import index_terms_for
from clientkeep.policy.loader import load_policy

POLICY = load_policy()
ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1985-12-10",
}


def shared(first, second, kind):
    mine = {t for _, k, t in composite_terms(first) if k == kind}
    return mine & {t for _, k, t in composite_terms(second) if k == kind}


def test_swapped_names_share_every_composite_term() -> None:
    swapped = {**ADA, "given_name": "Lovelace", "family_name": "Ada"}
    assert composite_terms(swapped) == composite_terms(ADA)


def test_a_typo_in_one_name_still_shares_the_other_names_terms() -> None:
    typo = {**ADA, "family_name": "Lovelcae"}
    assert len(shared(ADA, typo, "name_dob")) == 1
    assert len(shared(ADA, typo, "name_postcode")) == 1


def test_a_nickname_still_shares_the_family_names_term() -> None:
    bill = {"given_name": "Bill", "family_name": "Turner", "date_of_birth": "1975-04-23"}
    william = {**bill, "given_name": "William"}
    assert len(shared(bill, william, "name_dob")) == 1


def test_a_shared_first_name_and_birthday_alone_share_nothing() -> None:
    john_smith = {"given_name": "John", "family_name": "Smith", "date_of_birth": "1980-01-01"}
    john_brown = {**john_smith, "family_name": "Brown"}
    john_smyth = {**john_smith, "family_name": "Smyth"}
    assert shared(john_smith, john_brown, "name_dob") == set()
    assert len(shared(john_smith, john_smyth, "name_dob")) == 2


def test_the_postcode_term_ignores_spacing_and_each_kind_is_its_own_field() -> None:
    terms = composite_terms(ADA)
    assert {(f, k) for f, k, _ in terms} == {
        ("name_dob", "name_dob"),
        ("name_postcode", "name_postcode"),
    }
    assert all(" " not in t for _, _, t in terms)
    assert len(terms) == 4


def test_no_terms_without_a_date_of_birth_or_postcode() -> None:
    assert composite_terms({"given_name": "Ada", "family_name": "Lovelace"}) == []
    only_dob = {k: v for k, v in ADA.items() if k != "postcode"}
    assert {k for _, k, _ in composite_terms(only_dob)} == {"name_dob"}


def test_a_registered_record_is_indexed_with_its_composite_terms() -> None:
    kinds = {t.kind for t in index_terms_for(POLICY, ADA)}
    assert {"name", "name_phonetic", "dob", "postcode", "name_dob", "name_postcode"} <= kinds


def test_changing_a_name_or_an_anchor_rewrites_the_composite_terms() -> None:
    assert reindexed_fields(POLICY, {"given_name"}) == {
        "given_name",
        "name_dob",
        "name_postcode",
        "name_pair",
    }
    assert reindexed_fields(POLICY, {"preferred_name"}) >= {"name_pair"}
    assert reindexed_fields(POLICY, {"postcode"}) >= {"name_dob", "name_postcode"}
    assert reindexed_fields(POLICY, {"email"}) == {"email"}


def test_name_pairs_pair_every_two_name_sounds_in_either_order() -> None:
    from clientkeep.customers.index_terms import name_pair_terms, query_pair_terms
    from clientkeep.customers.values import phonetic

    stored = {t for _, _, t in name_pair_terms({"given_name": "James", "family_name": "Smith"})}
    assert stored == {"|".join(sorted((phonetic("james"), phonetic("smith"))))}
    # A vowel typo, the names swapped, or a nickname still reach the same pair.
    for typed in ("Jamas Smith", "Smith James", "Jim Smith"):
        assert stored & {t for _, t in query_pair_terms(typed)}, typed
    assert not stored & {t for _, t in query_pair_terms("Mary Jones")}
    assert query_pair_terms("Smith") == []
