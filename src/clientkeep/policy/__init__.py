"""The policy is code: one TOML file declares what clientkeep holds, why, who sees it, for how long.

Everything else enforces it; ``clientkeep policy check FILE`` validates one.
"""

from clientkeep.policy._vocabulary import (
    APPROVE_DISCLOSURES,
    ARTICLE9_CONDITIONS,
    CAPABILITIES,
    MANAGE_KEYS,
    MANAGE_POLICY,
    MANAGE_STAFF,
    MERGE_CUSTOMERS,
    READ_AUDIT,
    RETENTION_TRIGGERS,
    SPECIAL_KINDS,
    SYSTEM_ROLE,
    WORK_REVIEW,
)
from clientkeep.policy.errors import (
    PolicyError,
    PolicyInvalid,
    PolicyProblem,
    UnknownPurpose,
    UnknownRole,
)
from clientkeep.policy.loader import check_policy, default_policy_path, load_policy, parse_policy
from clientkeep.policy.model import (
    Category,
    Controller,
    CustomerReference,
    FieldDef,
    FieldType,
    LawfulBasis,
    Policy,
    Purpose,
    Retention,
    Role,
    StaffRules,
    Staleness,
    VerificationMethod,
)

__all__ = [
    "APPROVE_DISCLOSURES",
    "ARTICLE9_CONDITIONS",
    "CAPABILITIES",
    "MANAGE_KEYS",
    "MANAGE_POLICY",
    "MANAGE_STAFF",
    "MERGE_CUSTOMERS",
    "READ_AUDIT",
    "RETENTION_TRIGGERS",
    "SPECIAL_KINDS",
    "SYSTEM_ROLE",
    "WORK_REVIEW",
    "Category",
    "Controller",
    "CustomerReference",
    "FieldDef",
    "FieldType",
    "LawfulBasis",
    "Policy",
    "PolicyError",
    "PolicyInvalid",
    "PolicyProblem",
    "Purpose",
    "Retention",
    "Role",
    "StaffRules",
    "Staleness",
    "UnknownPurpose",
    "UnknownRole",
    "VerificationMethod",
    "check_policy",
    "default_policy_path",
    "load_policy",
    "parse_policy",
]
