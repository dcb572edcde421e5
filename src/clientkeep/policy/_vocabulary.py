"""The closed vocabularies a policy may use: capabilities, Article 9 conditions, triggers."""

from __future__ import annotations

# What a role may do beyond acting under its purposes.
MANAGE_STAFF = "staff.manage"
MANAGE_POLICY = "policy.manage"
READ_AUDIT = "audit.read"
MANAGE_KEYS = "keys.manage"
MERGE_CUSTOMERS = "customers.merge"
WORK_REVIEW = "review.work"
# Approving or refusing a representative's authority or a third party's request for data.
APPROVE_DISCLOSURES = "disclosures.approve"
# Reports that compare members of staff (satisfaction, complaint handling) and the team's
# queues and boards as a whole.
READ_REPORTS = "reports.read"
CAPABILITIES = frozenset(
    {
        MANAGE_STAFF,
        MANAGE_POLICY,
        READ_AUDIT,
        MANAGE_KEYS,
        MERGE_CUSTOMERS,
        WORK_REVIEW,
        APPROVE_DISCLOSURES,
        READ_REPORTS,
    }
)

# The role the software itself acts in (set-up work, the CLI operator). No policy may declare
# it: a staff member given a role of that name must never pass for the system.
SYSTEM_ROLE = "system"

# UK GDPR Article 9(2)(a)-(j): the conditions that lift the ban on special category data.
ARTICLE9_CONDITIONS = frozenset(
    {
        "explicit_consent",
        "employment_social_security",
        "vital_interests",
        "not_for_profit_body",
        "made_public_by_subject",
        "legal_claims",
        "substantial_public_interest",
        "health_or_social_care",
        "public_health",
        "archiving_research_statistics",
    }
)

# UK GDPR Article 9(1): the kinds of special category data.
SPECIAL_KINDS = frozenset(
    {
        "racial_or_ethnic_origin",
        "political_opinions",
        "religious_or_philosophical_beliefs",
        "trade_union_membership",
        "genetic",
        "biometric",
        "health",
        "sex_life_or_sexual_orientation",
    }
)

# The event a retention period counts from. "with_record": kept exactly as long as the
# customer's record is kept for some other purpose (its period must be 0).
LAST_INTERACTION = "last_interaction"
END_OF_RELATIONSHIP = "end_of_relationship"
CONSENT_WITHDRAWN = "consent_withdrawn"
CASE_CLOSED = "case_closed"
WITH_RECORD = "with_record"
RETENTION_TRIGGERS = frozenset(
    {LAST_INTERACTION, END_OF_RELATIONSHIP, CONSENT_WITHDRAWN, CASE_CLOSED, WITH_RECORD}
)

# Characters a person misreads or mishears in a reference: never allowed in its alphabet.
AMBIGUOUS_REFERENCE_CHARACTERS = frozenset("0O1IL")
MIN_REFERENCE_ALPHABET = 20
