import base64
import os
import stat

import pytest
from sqlalchemy import create_engine, text

from clientkeep.adapters.crypto import migrate
from clientkeep.adapters.crypto.errors import KeystoreError
from clientkeep.adapters.crypto.setup import init_keys, open_keystore, upgrade_keystore
from clientkeep.config import Settings

from .conftest import POSTGRES_URL


def settings_for(tmp_path, keystore_url=None, master_key=None) -> Settings:
    data_dir = tmp_path / "data"
    return Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'clientkeep.db'}",
        keystore_url=keystore_url or f"sqlite:///{data_dir / 'keystore.db'}",
        master_key=master_key,
        policy_path=None,
    )


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_makes_a_private_key_file_and_key_store_with_its_secrets(tmp_path):
    settings = settings_for(tmp_path)
    ring = init_keys(settings)
    assert mode(settings.master_key_file) == 0o600
    assert mode(settings.data_dir / "keystore.db") == 0o600
    store = open_keystore(settings)
    assert store.ring.versions == ring.versions
    assert store.secret_count_by_version() == {1: 2}
    assert migrate.current_revision(store.engine) == migrate.head_revision()
    store.close()


def test_init_again_reuses_the_key_and_secrets(tmp_path):
    settings = settings_for(tmp_path)
    first = init_keys(settings)
    store = open_keystore(settings)
    secret = store.secret("blind-index")
    store.close()
    assert init_keys(settings).versions == first.versions
    again = open_keystore(settings)
    assert again.secret("blind-index") == secret
    again.close()


def test_init_with_an_environment_key_writes_no_key_file(tmp_path):
    key = base64.b64encode(os.urandom(32)).decode()
    settings = settings_for(tmp_path, master_key=key)
    init_keys(settings)
    assert not settings.master_key_file.exists()
    open_keystore(settings).close()


def test_opening_a_key_store_that_is_not_there_creates_nothing(tmp_path):
    settings = settings_for(tmp_path, master_key=base64.b64encode(os.urandom(32)).decode())
    settings.data_dir.mkdir()
    with pytest.raises(KeystoreError, match="clientkeep init"):
        open_keystore(settings)
    assert list(settings.data_dir.iterdir()) == []


def test_init_and_upgrade_work_on_postgresql_beside_the_main_schema(tmp_path, backend, request):
    if backend != "postgres":
        pytest.skip("runs with --backend postgres")
    url = request.getfixturevalue("postgres_schema_url")
    schema = url.rsplit("%3D", 1)[1]
    settings = settings_for(tmp_path, keystore_url=url)
    init_keys(settings)
    upgrade_keystore(settings)  # a second run is a no-op
    store = open_keystore(settings)
    assert store.secret_count_by_version() == {1: 2}
    store.close()
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        tables = conn.scalars(
            text("select table_name from information_schema.tables where table_schema = :s"),
            {"s": schema},
        ).all()
    admin.dispose()
    assert "keystore_alembic_version" in tables and "alembic_version" not in tables
