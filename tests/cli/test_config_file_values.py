"""config.json is read as JSON of any shape; the string settings `load_settings` reads are checked."""

from __future__ import annotations

import json

import pytest

from bgpub.config import load_settings
from bgpub.errors import InvalidInput


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch):
    for name in ("BGPUB_DATABASE_URL", "DATABASE_URL", "BGPUB_USER_EMAIL"):
        monkeypatch.delenv(name, raising=False)


def test_string_settings_are_read_as_before(tmp_path):
    (tmp_path / "config.json").write_text(
        json.dumps({"database.url": "sqlite:///x.db", "user.email": "ada@example.com"})
    )
    settings = load_settings(workspace=tmp_path)
    assert (settings.database_url, settings.user_email) == ("sqlite:///x.db", "ada@example.com")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "config.json").write_text(json.dumps({"database.url": ""}))
    assert load_settings(workspace=empty).database_url == f"sqlite:///{empty / 'bgpub.db'}"


@pytest.mark.parametrize("key", ["database.url", "user.email"])
def test_a_hand_typed_non_string_is_an_error_naming_the_file(tmp_path, key):
    (tmp_path / "config.json").write_text(json.dumps({key: 5}))
    with pytest.raises(InvalidInput) as raised:
        load_settings(workspace=tmp_path)
    assert key in str(raised.value) and "config.json" in str(raised.value)
