"""Every action the trail records, with the name staff read it by.

One catalogue: the audit page lists these to filter by, the export and the chart name events
with them, and a unit test scans the code for every action it writes and fails if one is
missing here. An action is what was done; its outcome (success, denied, failed) is apart.
"""

from __future__ import annotations

from types import MappingProxyType

ACTIONS = MappingProxyType(
    {
        "audit.exported": "Exported the audit trail",
        "audit.read": "Read the audit trail",
        "audit.verified": "Verified the audit trail",
        "auth.failed": "Failed to sign in or to use a token",
        "customer.confirmed": "Confirmed a customer's details with them",
        "customer.created": "Added a customer",
        "customer.duplicate_check": "Checked a new customer for duplicates",
        "customer.duplicates_scanned": "Scanned every customer for duplicates",
        "customer.history_read": "Read a customer's change history",
        "customer.imported": "Imported customers",
        "customer.merged": "Merged two customer records",
        "customer.read": "Read a customer record",
        "customer.reindexed": "Rebuilt the customer search index",
        "customer.searched": "Searched for customers",
        "customer.updated": "Corrected a customer record (rectification)",
        "customer.verifications_read": "Read the checks of a customer's callers",
        "customer.verified": "Checked that a caller was the customer",
        "review.duplicate_dismissed": "Dismissed a suspected duplicate",
        "review.read": "Read the review queue",
        "staff.created": "Added a member of staff",
        "staff.disabled": "Disabled a member of staff",
        "staff.enabled": "Enabled a member of staff again",
        "staff.password_changed": "Changed their own password",
        "staff.password_reset": "Reset a member of staff's password",
        "staff.role_changed": "Changed a member of staff's role",
        "staff.sign_in": "Signed in",
        "staff.sign_out": "Signed out",
        "staff.unlocked": "Unlocked a member of staff's account",
        "token.created": "Created an API token",
        "token.revoked": "Revoked an API token",
        "token.used": "Used an API token",
        "staff.password_accepted": "Gave the right password; a second factor was asked for",
        "staff.second_factor_code": "Gave a second-factor code to sign in",
        "staff.recovery_code_used": "Used a recovery code to sign in",
        "staff.second_factor_enrolled": "Turned on their second factor",
        "staff.second_factor_disabled": "Turned off their second factor",
        "staff.second_factor_reset": "Reset a member of staff's second factor",
        "customer.listed": "Listed customers",
        "outbox.queued": "Put a message to a customer in the outbox",
        "outbox.sent": "Sent a message to a customer",
        "outbox.failed": "Failed to send a message to a customer; it will be tried again",
        "outbox.dead_lettered": "Gave up sending a message to a customer",
        "outbox.outcome_unknown": "Stopped while sending a message; whether it went is unknown",
        "outbox.retried": "Retried a message that could not be sent",
        "outbox.listed": "Listed the messages in the outbox",
        "outbox.read": "Read messages sent to a customer",
        "customer.verification_code_sent": (
            "Sent a one-time code to a customer's contact details on record"
        ),
        "customer.disclosed": "Told a verified caller some of a customer's details",
        "customer.disclosures_read": "Read the log of who was told a customer's details",
        "customer.reply_queued": (
            "Queued an email of the details told to the address on a customer's record"
        ),
        "customer.representative_recorded": "Recorded someone with authority to act for a customer",
        "customer.representatives_read": "Read who has authority to act for a customer",
        "customer.representative_decided": (
            "Approved, refused or revoked a customer's representative"
        ),
        "third_party_request.recorded": "Recorded a third party's request for a customer's details",
        "third_party_request.decided": "Approved or refused a third party's request",
        "third_party_request.read": "Read a third party's request for a customer's details",
        "third_party_requests.listed": "Listed third parties' requests (the approvals queue)",
        "customer.third_party_requests_read": "Read the third parties' requests about a customer",
        "customer.revealed": (
            "Showed details hidden until a caller is verified, working away from the phone"
        ),
        "verification.lockouts_read": "Read which customers' caller checks are locked",
        "complaint.opened": "Opened a customer's complaint",
        "complaint.moved": "Took a step in handling a complaint",
        "complaint.read": "Read a complaint and its steps",
        "complaint.final_response_read": "Read the final response letter to a complaint",
        "complaints.board_read": "Read the complaints board",
        "customer.complaints_read": "Read a customer's complaints",
        "complaints.report_read": "Read the complaints report",
        "customer.feedback_recorded": "Recorded a customer's feedback score",
        "customer.feedback_read": "Read a customer's feedback",
        "customer.feedback_requested": "Asked a customer for feedback by email",
        "reports.satisfaction_read": "Read the satisfaction report (CSAT and NPS)",
        "interaction.logged": "Logged a contact with a customer",
        "interaction.corrected": "Corrected a logged contact (a new entry naming the old)",
        "interaction.read": "Read a logged contact with a customer (to correct it)",
        "interaction.follow_ups_read": "Read the follow-up queue",
        "customer.timeline_read": "Read a customer's timeline",
    }
)

# What the chart of reads counts: each time a member of staff was shown customers' records.
READS = ("customer.history_read", "customer.listed", "customer.read", "customer.searched")


def action_name(action: str) -> str:
    """The plain-language name; an action recorded by an older version is shown as it is."""
    return ACTIONS.get(action, action)
