import base64
import json
import os

import pytest
from typer.testing import CliRunner

from clientkeep.adapters.cli.keys import app
from clientkeep.adapters.crypto.master_keys import load_key_file
from clientkeep.adapters.crypto.setup import init_keys, open_keystore
from clientkeep.config import load_settings

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith("CLIENTKEEP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CLIENTKEEP_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def add_customers(n: int) -> dict[str, bytes]:
    store = open_keystore(load_settings())
    try:
        return {f"c{i}": store.create_data_key(f"c{i}") for i in range(n)}
    finally:
        store.close()


def test_rotate_adds_a_version_to_the_key_file_and_rewraps_everything(data_dir):
    init_keys(load_settings())
    keys = add_customers(5)
    result = runner.invoke(app, ["rotate", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "added master key version 2" in result.output
    assert "re-wrapped 5 data keys and 2 secrets to master key version 2" in result.output
    assert load_key_file(data_dir / "master.key").current == 2
    store = open_keystore(load_settings())
    assert store.count_by_version() == {2: 5}
    assert store.data_keys(keys) == keys
    store.close()


def test_status_reports_counts_and_source_without_key_material(data_dir):
    init_keys(load_settings())
    add_customers(3)
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    state = json.loads(result.output)
    assert state["source"] == "file"
    assert state["current_version"] == 1
    assert state["data_keys_by_version"] == {"1": 3}
    assert state["secrets_by_version"] == {"1": 2}
    assert state["pending_rotation"] == 0
    text = runner.invoke(app, ["status"]).output
    assert "master key from key file" in text
    key_file = json.loads((data_dir / "master.key").read_text())
    for encoded in key_file["versions"].values():
        assert encoded not in result.output and encoded not in text


def test_an_interrupted_rotation_is_resumed_without_adding_another_version(data_dir):
    init_keys(load_settings())
    add_customers(4)
    from clientkeep.adapters.crypto.master_keys import add_version_to_key_file

    # As if a rotation had added version 2 and stopped before re-wrapping anything.
    add_version_to_key_file(data_dir / "master.key")
    assert json.loads(runner.invoke(app, ["status", "--json"]).output)["pending_rotation"] == 6
    result = runner.invoke(app, ["rotate"])
    assert result.exit_code == 0, result.output
    assert "resuming" in result.output
    assert "to master key version 2" in result.output
    assert load_key_file(data_dir / "master.key").current == 2


def test_with_an_environment_key_rotation_needs_a_new_version_there_first(data_dir, monkeypatch):
    v1 = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("CLIENTKEEP_MASTER_KEY", v1)
    init_keys(load_settings())
    add_customers(2)
    result = runner.invoke(app, ["rotate"])
    assert result.exit_code == 1
    assert "add a new version there first" in result.stderr
    assert v1 not in result.output + result.stderr
    assert not (data_dir / "master.key").exists()

    v2 = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("CLIENTKEEP_MASTER_KEY", f"1:{v1},2:{v2}")
    result = runner.invoke(app, ["rotate"])
    assert result.exit_code == 0, result.output
    assert "re-wrapped 2 data keys and 2 secrets to master key version 2" in result.output
    status = json.loads(runner.invoke(app, ["status", "--json"]).output)
    assert status["source"] == "env"
    assert status["data_keys_by_version"] == {"2": 2}


def test_errors_are_one_line_without_a_traceback(data_dir):
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1
    assert "no master key: run `clientkeep init`" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_a_world_readable_key_file_is_refused(data_dir):
    init_keys(load_settings())
    os.chmod(data_dir / "master.key", 0o644)
    result = runner.invoke(app, ["rotate"])
    assert result.exit_code == 1
    assert "chmod 600" in result.stderr
