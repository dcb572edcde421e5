"""The composition root: the one place that sees both the domain and its adapters.

Nothing connects at import time; ``build`` wires a container from settings, and ``initialise``
makes a new installation (data directory, key store, master key, database, first admin).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from clientkeep.adapters.crypto.blind_index import BlindIndexer, derive_key
from clientkeep.adapters.crypto.checkpoints import CheckpointStore
from clientkeep.adapters.crypto.keystore import KeyStore
from clientkeep.adapters.crypto.second_factor_sealing import SecondFactorSealer
from clientkeep.adapters.crypto.setup import init_keys, open_keystore, upgrade_keystore
from clientkeep.adapters.db import migrate
from clientkeep.adapters.db._sealing import Sealer
from clientkeep.adapters.db.engine import make_engine
from clientkeep.adapters.db.unit_of_work import SqlUnitOfWork, StorageKeys
from clientkeep.adapters.outbox_code_messenger import OutboxCodeMessenger
from clientkeep.adapters.passwords import Argon2PasswordHasher
from clientkeep.complaints.services import Complaints, ComplaintTimeline, LetterRenderer
from clientkeep.config import Settings
from clientkeep.customers.ports import DuplicateFinder
from clientkeep.customers.services import customer_record_kinds
from clientkeep.customers.timeline import FieldHistoryTimeline
from clientkeep.feedback.kinds import FeedbackAnswers
from clientkeep.feedback.survey import SurveyRenderer
from clientkeep.feedback.timeline import FeedbackTimeline
from clientkeep.interactions.kinds import Interactions
from clientkeep.interactions.sources import InteractionTimeline
from clientkeep.matching.duplicates import likely_duplicates
from clientkeep.outbox.delivery import deliver_due
from clientkeep.outbox.model import Channel, DeliveryReport
from clientkeep.outbox.ports import Sender
from clientkeep.outbox.services import outbox_record_kinds
from clientkeep.policy.loader import load_policy
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import SYSTEM, Actor
from clientkeep.shared.clock import Clock, SystemClock
from clientkeep.shared.errors import Conflict
from clientkeep.shared.record_kinds import RecordKinds
from clientkeep.shared.timeline import TimelineSource
from clientkeep.staff import services as staff
from clientkeep.staff.model import StaffMember
from clientkeep.staff.ports import PasswordHasher, SecretSealer
from clientkeep.verification.disclosure_kinds import Disclosures
from clientkeep.verification.kinds import VerificationAttempts
from clientkeep.verification.ports import OneTimeCodes
from clientkeep.verification.replies import ReplyTools
from clientkeep.verification.representative_kinds import Representatives
from clientkeep.verification.third_party_kinds import ThirdPartyRequests
from clientkeep.verification.timeline import DisclosureTimeline, VerificationTimeline


@dataclass
class Container:
    settings: Settings
    policy: Policy
    clock: Clock = field(default_factory=SystemClock)
    hasher: PasswordHasher = field(default_factory=Argon2PasswordHasher)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def keystore(self) -> KeyStore:
        return open_keystore(self.settings)

    @cached_property
    def session_signing_key(self) -> bytes:
        return derive_key(self.keystore.secret("web-session"), "web session cookie v1")

    @cached_property
    def second_factor_sealer(self) -> SecretSealer:
        # Staff's TOTP secrets, sealed under a key of their own from the key store.
        key = derive_key(self.keystore.secret("second-factor"), "staff second factor v1")
        return SecondFactorSealer(key)

    @cached_property
    def one_time_codes(self) -> OneTimeCodes:
        # Codes that verify callers are digested under a key of their own from the key store.
        key = derive_key(self.keystore.secret("verification-code"), "caller one-time codes v1")
        return OneTimeCodes(key=key, messenger=OutboxCodeMessenger())

    @cached_property
    def replies(self) -> ReplyTools:
        # Letters and emails answering a disclosure, from templates; they reach the outbox the
        # way codes do.
        from clientkeep.adapters.replies import JinjaReplies

        return ReplyTools(renderer=JinjaReplies(), messenger=OutboxCodeMessenger())

    @cached_property
    def storage_keys(self) -> StorageKeys:
        root = self.keystore.secret("blind-index")
        return StorageKeys(
            audit_head=derive_key(self.keystore.secret("audit-head"), "audit chain head seal v1"),
            idempotency=derive_key(root, "idempotency keys v1"),
            sealer=Sealer(self.keystore),
            indexer=BlindIndexer(root),
            checkpoints=CheckpointStore(self.keystore.engine),
        )

    @cached_property
    def record_kinds(self) -> RecordKinds:
        """Every kind of personal record, for merge, access packs, erasure and retention.
        A capability that stores personal data about a customer adds its kinds here."""
        return RecordKinds(
            (
                *customer_record_kinds(self.policy),
                VerificationAttempts(),
                Disclosures(self.policy),
                ThirdPartyRequests(),
                Representatives(),
                *outbox_record_kinds(),
                FeedbackAnswers(self.policy),
                Complaints(self.policy),
                Interactions(self.policy),
            )
        )

    @cached_property
    def timeline_sources(self) -> tuple[TimelineSource, ...]:
        """Everything a customer's timeline interleaves. A capability that records events
        with a customer adds its source here (the contract in ``shared/timeline.py``)."""
        return (
            FeedbackTimeline(self.policy),
            InteractionTimeline(self.policy),
            FieldHistoryTimeline(self.policy),
            VerificationTimeline(),
            DisclosureTimeline(self.policy),
            ComplaintTimeline(self.policy),
        )

    @cached_property
    def complaint_letters(self) -> LetterRenderer:
        # Final response letters to complaints, from a plain-text template.
        from clientkeep.adapters.complaint_letters import JinjaComplaintLetters

        return JinjaComplaintLetters()

    @cached_property
    def feedback_survey(self) -> SurveyRenderer:
        # The survey email asking a customer for feedback, from a plain-text template.
        from clientkeep.adapters.feedback_survey import JinjaSurvey

        return JinjaSurvey()

    @cached_property
    def senders(self) -> dict[Channel, Sender]:
        """The outbox's senders the environment configures; none in tests and by default."""
        from clientkeep.adapters.senders import senders_for

        return senders_for(self.settings.outbox)

    def deliver_outbox(self, limit: int = 50) -> DeliveryReport:
        """One pass of the outbox's sender: what the server's sending loop runs."""
        from clientkeep.adapters.senders import delivery_rules

        return deliver_due(
            self.uow, self.senders, self.clock, limit, rules=delivery_rules(self.settings.outbox)
        )

    @property
    def duplicate_finder(self) -> DuplicateFinder:
        # Customer records ask for likely duplicates through a port; matching answers.
        return likely_duplicates

    def uow(self) -> SqlUnitOfWork:
        # Keys are fetched on first use, so building a container touches no key store.
        return SqlUnitOfWork(self.engine, self.clock, lambda: self.storage_keys)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
        if "keystore" in self.__dict__:
            self.keystore.close()


class AlreadyInitialised(Conflict):
    code = "already_initialised"

    def __init__(self) -> None:
        super().__init__("This data directory already has staff accounts; nothing was changed.")


def build(
    settings: Settings, *, clock: Clock | None = None, hasher: PasswordHasher | None = None
) -> Container:
    return Container(
        settings=settings,
        policy=load_policy(settings.policy_path),
        clock=clock or SystemClock(),
        hasher=hasher or Argon2PasswordHasher(),
    )


class NotInitialised(Conflict):
    code = "not_initialised"


def database_revision(container: Container) -> str | None:
    """The schema revision, or None where there is no database yet."""
    settings = container.settings
    database = make_url(settings.database_url).database if settings.is_sqlite else None
    # Asking a missing SQLite file for its revision would create an empty one.
    if database is not None and not Path(database).exists():
        return None
    return migrate.current_revision(container.engine)


def check_ready(container: Container) -> None:
    """Refuse to serve a database that is missing or behind this version's schema."""
    current = database_revision(container)
    if current is None:
        raise NotInitialised(
            f"No clientkeep database at {container.settings.data_dir}: run `clientkeep init`."
        )
    if current != migrate.head_revision():
        raise NotInitialised("The database schema is behind: run `clientkeep db upgrade`.")
    container.keystore.secret("web-session")


def upgrade_database(container: Container) -> None:
    if container.settings.is_sqlite:
        _make_private_dir(container)
    upgrade_keystore(container.settings)
    migrate.upgrade(container.engine)


def initialise(
    container: Container,
    *,
    admin_username: str,
    admin_password: str,
    actor: Actor = SYSTEM,
) -> StaffMember:
    """Create everything a new installation needs, then the first administrator, as ``actor``
    (the system; from the CLI, the system as the operating-system account that ran it)."""
    _make_private_dir(container)
    init_keys(container.settings)
    migrate.upgrade(container.engine)
    with container.uow() as uow:
        if uow.staff.list():
            raise AlreadyInitialised()
    admin_roles = [
        name for name, role in container.policy.roles.items() if "staff.manage" in role.capabilities
    ]
    if not admin_roles:
        raise Conflict("The policy has no role that may manage staff (capability staff.manage).")
    return staff.add_staff(
        staff.AddStaff(
            username=admin_username,
            role=admin_roles[0],
            password=admin_password,
            display_name="Administrator",
        ),
        uow=container.uow(),
        actor=actor,
        policy=container.policy,
        clock=container.clock,
        hasher=container.hasher,
    )


def _make_private_dir(container: Container) -> None:
    data_dir = container.settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    # The directory holds the key file and the database: owner only.
    os.chmod(data_dir, 0o700)
