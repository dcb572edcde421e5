"""Upgrading a key store made before key versions: every key becomes its customer's version 1
and still opens what it sealed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import DateTime, Integer, LargeBinary, String, column, insert, table

from clientkeep.adapters.crypto import migrate
from clientkeep.adapters.crypto.aead import CustomerCipher, associated_data, seal
from clientkeep.adapters.crypto.keystore import KeyStore

PLACE = ("customer_field", "value", "email")
# data_key as it was before versions (ks0002)
OLD_DATA_KEY = table(
    "data_key",
    column("customer_id", String),
    column("master_version", Integer),
    column("wrapped_key", LargeBinary),
    column("created_at", DateTime(timezone=True)),
)


def downgrade(engine, revision: str) -> None:
    config = migrate._config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
        conn.commit()


def test_keys_made_before_versions_are_version_1_and_still_open(keystore_engine, ring) -> None:
    migrate.upgrade(keystore_engine, "ks0002")
    key = bytes(range(32))
    master, wrapped = ring.wrap(key, "cus_1")  # as keys were wrapped before versions
    with keystore_engine.begin() as conn:
        conn.execute(
            insert(OLD_DATA_KEY).values(
                customer_id="cus_1",
                master_version=master,
                wrapped_key=wrapped,
                created_at=datetime.now(UTC),
            )
        )
    legacy = seal(key, b"ada@example.org", associated_data(*PLACE, "cus_1"))

    migrate.upgrade(keystore_engine)

    store = KeyStore(keystore_engine, ring)
    assert store.versions("cus_1") == [1]
    assert store.data_key("cus_1") == key
    assert CustomerCipher("cus_1", store.keys_of("cus_1")).open_text(*PLACE, legacy) == (
        "ada@example.org"
    )
    assert store.add_version("cus_1") == 2


def test_going_back_is_refused_while_a_later_version_exists(keystore_engine, ring) -> None:
    migrate.upgrade(keystore_engine)
    store = KeyStore(keystore_engine, ring)
    store.create_data_key("cus_1")
    store.add_version("cus_1")
    with pytest.raises(RuntimeError, match="versions after the first"):
        downgrade(keystore_engine, "ks0002")
    assert migrate.current_revision(keystore_engine) == "ks0003"
    store.destroy("cus_1")
    downgrade(keystore_engine, "ks0002")
    migrate.upgrade(keystore_engine)
    assert migrate.current_revision(keystore_engine) == migrate.head_revision()
