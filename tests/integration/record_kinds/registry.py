"""One driver per registered kind of personal record. A new kind registered in the
composition root fails ``test_every_registered_kind_has_a_driver_and_every_driver_a_kind``
until its driver is added here; every duty module then runs for it too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clientkeep.complaints.kinds import COMPLAINT
from clientkeep.customers.kinds import CUSTOMER_FIELD, FIELD_HISTORY
from clientkeep.feedback.kinds import FEEDBACK
from clientkeep.interactions.kinds import INTERACTION
from clientkeep.outbox.kinds import OUTBOX_MESSAGE
from clientkeep.verification.disclosure_kinds import DISCLOSURE
from clientkeep.verification.kinds import VERIFICATION_ATTEMPT
from clientkeep.verification.representative_kinds import REPRESENTATIVE
from clientkeep.verification.third_party_kinds import THIRD_PARTY_REQUEST
from tests.integration.record_kinds.drivers import (
    CustomerFieldDriver,
    FieldHistoryDriver,
    KindDriver,
)
from tests.integration.record_kinds.drivers_complaint import ComplaintDriver
from tests.integration.record_kinds.drivers_disclosure import DisclosureDriver
from tests.integration.record_kinds.drivers_feedback import FeedbackDriver
from tests.integration.record_kinds.drivers_interaction import InteractionDriver
from tests.integration.record_kinds.drivers_outbox import OutboxMessageDriver
from tests.integration.record_kinds.drivers_representative import RepresentativeDriver
from tests.integration.record_kinds.drivers_third_party import ThirdPartyRequestDriver
from tests.integration.record_kinds.drivers_verification import VerificationAttemptDriver

DRIVERS: dict[str, Callable[[Any, Any], KindDriver]] = {
    CUSTOMER_FIELD: CustomerFieldDriver,
    FIELD_HISTORY: FieldHistoryDriver,
    VERIFICATION_ATTEMPT: VerificationAttemptDriver,
    DISCLOSURE: DisclosureDriver,
    OUTBOX_MESSAGE: OutboxMessageDriver,
    REPRESENTATIVE: RepresentativeDriver,
    THIRD_PARTY_REQUEST: ThirdPartyRequestDriver,
    FEEDBACK: FeedbackDriver,
    COMPLAINT: ComplaintDriver,
    INTERACTION: InteractionDriver,
}
