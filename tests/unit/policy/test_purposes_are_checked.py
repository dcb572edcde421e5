"""Each purpose is checked against the law and against the fields it names."""

from __future__ import annotations

from tests.unit.policy.conftest import problems_of

VERIFY_FIELDS = 'fields = ["date_of_birth", "postcode", "phone", "customer_reference"]'
ASSESSMENT_START = 'legitimate_interest_assessment = """'


def test_a_purpose_using_an_undeclared_field() -> None:
    problems = problems_of((VERIFY_FIELDS, VERIFY_FIELDS.replace('"phone"', '"mobile"')))
    assert problems["purposes.identity_verification.fields[2]"] == (
        "'mobile' is not a declared field"
    )


def test_required_naming_a_field_the_purpose_does_not_use() -> None:
    problems = problems_of(
        (
            'required = ["given_name", "family_name"]\n\n[purposes.complaints.retention]',
            'required = ["given_name", "date_of_birth"]\n\n[purposes.complaints.retention]',
        )
    )
    assert problems["purposes.complaints.required[1]"] == (
        "'date_of_birth' is not one of this purpose's fields"
    )


def test_one_of_naming_a_field_the_purpose_does_not_use() -> None:
    problems = problems_of(
        (
            'one_of = [["email"], ["address_line1", "town", "postcode"]]',
            'one_of = [["email"], ["address_line1", "town", "phone"]]',
        )
    )
    assert problems["purposes.billing.one_of[1][2]"] == (
        "'phone' is not one of this purpose's fields"
    )


def test_an_empty_one_of_group() -> None:
    problems = problems_of(
        ('one_of = [["email"], ["address_line1", "town", "postcode"]]', 'one_of = [["email"], []]')
    )
    assert "non-empty array" in problems["purposes.billing.one_of[1]"]


def test_special_category_data_without_an_article9_condition() -> None:
    problems = problems_of(('article9_condition = "explicit_consent"\n', ""))
    assert "needs an article9_condition" in problems["purposes.service.fields[13]"]


def test_an_unknown_article9_condition() -> None:
    problems = problems_of(('"explicit_consent"', '"we_asked_nicely"'))
    assert "unknown Article 9 condition" in problems["purposes.service.article9_condition"]


def test_an_article9_condition_with_no_special_category_data() -> None:
    problems = problems_of(
        (
            'lawful_basis = "consent"',
            'lawful_basis = "consent"\narticle9_condition = "explicit_consent"',
        ),
    )
    assert "no special category field" in problems["purposes.marketing.article9_condition"]


def test_legitimate_interests_without_an_assessment() -> None:
    start = ASSESSMENT_START
    problems = problems_of(
        (start, "ignored = '''"), ('their interests do not override ours."""', "'''")
    )
    assert (
        "required when the lawful basis is legitimate_interests"
        in problems["purposes.identity_verification.legitimate_interest_assessment"]
    )


def test_an_assessment_on_a_purpose_not_on_legitimate_interests() -> None:
    problems = problems_of(
        (
            'lawful_basis = "contract"',
            'lawful_basis = "contract"\nlegitimate_interest_assessment = "x"',
        )
    )
    assert (
        "only a purpose on legitimate_interests"
        in problems["purposes.service.legitimate_interest_assessment"]
    )


def test_an_unknown_lawful_basis() -> None:
    problems = problems_of(('lawful_basis = "contract"', 'lawful_basis = "contact"'))
    assert "unknown lawful basis 'contact'" in problems["purposes.service.lawful_basis"]


def test_a_consent_purpose_must_end_when_consent_is_withdrawn() -> None:
    problems = problems_of(('trigger = "consent_withdrawn"', 'trigger = "last_interaction"'))
    assert "consent_withdrawn" in problems["purposes.marketing.retention.trigger"]


def test_consent_withdrawn_on_a_purpose_not_on_consent() -> None:
    problems = problems_of(('trigger = "case_closed"', 'trigger = "consent_withdrawn"'))
    assert "only to a purpose on consent" in problems["purposes.complaints.retention.trigger"]


def test_an_unknown_retention_trigger() -> None:
    problems = problems_of(('trigger = "case_closed"', 'trigger = "whenever"'))
    assert "unknown retention trigger" in problems["purposes.complaints.retention.trigger"]


def test_a_negative_retention_period() -> None:
    problems = problems_of(
        ('period_days = 2190\ntrigger = "case_closed"', 'period_days = -1\ntrigger = "case_closed"')
    )
    assert problems["purposes.complaints.retention.period_days"] == ("must be at least 0, not -1")


def test_with_record_retention_takes_no_period() -> None:
    problems = problems_of(
        ('period_days = 0\ntrigger = "with_record"', 'period_days = 30\ntrigger = "with_record"')
    )
    assert "must be 0" in problems["purposes.identity_verification.retention.period_days"]


def test_a_purpose_without_retention() -> None:
    problems = problems_of(("[purposes.complaints.retention]", "[unrelated.retention]"))
    assert problems["purposes.complaints"] == "missing key 'retention'"
    assert problems["unrelated"] == "unknown key (is it misspelt?)"


def test_compare_only_naming_a_field_the_purpose_does_not_use() -> None:
    problems = problems_of(
        (
            'compare_only = ["date_of_birth", "postcode", "phone", "customer_reference"]',
            'compare_only = ["date_of_birth", "postcode", "phone", "email"]',
        )
    )
    assert (
        "not one of this purpose's fields"
        in problems["purposes.identity_verification.compare_only[3]"]
    )
