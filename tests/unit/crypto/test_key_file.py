import json
import os
import stat

import pytest

from clientkeep.adapters.crypto.master_keys import (
    MasterKeyError,
    add_version_to_key_file,
    create_key_file,
    load_key_file,
    resolve_master_keys,
)
from clientkeep.config import load_settings


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_key_file_is_0600_and_loads_back(tmp_path):
    path = tmp_path / "master.key"
    ring = create_key_file(path)
    assert mode(path) == 0o600
    assert load_key_file(path).versions == ring.versions
    assert json.loads(path.read_text())["format"] == "clientkeep-master-keys-v1"


def test_it_is_0600_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        create_key_file(tmp_path / "master.key")
    finally:
        os.umask(old)
    assert mode(tmp_path / "master.key") == 0o600


def test_it_refuses_to_overwrite_a_key_file(tmp_path):
    path = tmp_path / "master.key"
    ring = create_key_file(path)
    with pytest.raises(MasterKeyError, match="already exists"):
        create_key_file(path)
    assert load_key_file(path).versions == ring.versions


@pytest.mark.parametrize("loose", [0o644, 0o640, 0o604, 0o660])
def test_it_refuses_a_file_others_can_read(tmp_path, loose):
    path = tmp_path / "master.key"
    create_key_file(path)
    os.chmod(path, loose)
    with pytest.raises(MasterKeyError, match="chmod 600"):
        load_key_file(path)


def test_a_garbled_file_is_refused_without_echoing_it(tmp_path):
    path = tmp_path / "master.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b'{"format": "clientkeep-master-keys-v1", "versions": {"1": "c2hvcnQ="}}')
    os.close(fd)
    with pytest.raises(MasterKeyError) as caught:
        load_key_file(path)
    assert "c2hvcnQ" not in str(caught.value)


def test_adding_a_version_keeps_the_old_ones_and_the_mode(tmp_path):
    path = tmp_path / "master.key"
    first = create_key_file(path)
    grown = add_version_to_key_file(path)
    assert grown.current == 2
    assert grown.versions[1] == first.versions[1]
    assert load_key_file(path).versions == grown.versions
    assert mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["master.key"]


def test_the_environment_wins_over_the_key_file(tmp_path):
    create_key_file(tmp_path / "master.key")
    env_key = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="
    settings = load_settings(
        {"CLIENTKEEP_DATA_DIR": str(tmp_path), "CLIENTKEEP_MASTER_KEY": env_key}
    )
    assert resolve_master_keys(settings).versions == {1: bytes([1]) * 32}


def test_no_key_at_all_says_what_to_do(tmp_path):
    settings = load_settings({"CLIENTKEEP_DATA_DIR": str(tmp_path)})
    with pytest.raises(MasterKeyError, match="clientkeep init"):
        resolve_master_keys(settings)


def test_concurrent_additions_never_lose_a_version(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "master.key"
    create_key_file(path)
    with ThreadPoolExecutor(4) as pool:
        rings = list(pool.map(lambda _: add_version_to_key_file(path), range(8)))
    final = load_key_file(path)
    assert sorted(final.versions) == list(range(1, 10))
    for ring in rings:  # every version anyone was handed is still in the file
        assert all(final.versions[v] == k for v, k in ring.versions.items())
