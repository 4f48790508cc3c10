"""Secrets at rest: Fernet under a 0600 key file or BGPUB_SECRET_KEY, rotation, and a planted secret that
must not show up in any export, snapshot, version, audit row, log line or command output."""

from __future__ import annotations

import json
import logging
import os
import stat

import pytest
from cryptography.fernet import Fernet
from teams_world import ORG, PLANTED_SECRET, PROJECT, ROLE_EMAILS, build_world

from bgpub.db.enums import Role
from bgpub.db.models import MODELS, Integration, Webhook
from bgpub.errors import BgpubError, InvalidInput, PermissionDenied
from bgpub.services import integrations, secrets, snapshots, webhooks


@pytest.fixture(autouse=True)
def no_key_variables(monkeypatch):
    for name in (secrets.ENV_KEY, secrets.ENV_KEY_ALIAS):
        monkeypatch.delenv(name, raising=False)


def test_round_trip_and_key_file_mode(db, home, monkeypatch):
    token = secrets.encrypt("sk_test_123")
    assert "sk_test_123" not in token and secrets.decrypt(token) == "sk_test_123"
    key_file = home / secrets.KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    os.chmod(key_file, 0o644)
    with pytest.raises(PermissionDenied, match="chmod 600"):
        secrets.decrypt(token)


@pytest.mark.parametrize("variable", [secrets.ENV_KEY, secrets.ENV_KEY_ALIAS])
def test_environment_key_wins_and_bad_keys_are_not_echoed(db, home, monkeypatch, variable):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv(variable, key)
    token = secrets.encrypt("hello")
    assert Fernet(key.encode()).decrypt(token.encode()) == b"hello"
    assert not (home / secrets.KEY_FILE_NAME).exists()
    monkeypatch.setenv(variable, "not-a-real-key-value")
    with pytest.raises(InvalidInput) as bad:
        secrets.encrypt("x")
    assert "not-a-real-key-value" not in str(bad.value)
    monkeypatch.setenv(variable, Fernet.generate_key().decode())
    with pytest.raises(PermissionDenied, match="cannot be decrypted") as wrong:
        secrets.decrypt(token)
    assert "hello" not in str(wrong.value)


def _tokens() -> list[str]:
    return [i.config_encrypted for i in Integration.select()] + [
        w.secret_encrypted for w in Webhook.select()
    ]


def test_rotate_reencrypts_every_secret_under_a_new_key(world, run_cli, home, monkeypatch):
    old_keys = secrets.load_keys(home)
    before = _tokens()
    assert len(before) == 2  # the integration and the webhook
    done = run_cli("secrets", "rotate")
    assert done.code == 0, done.err
    assert (
        "re-encrypted 1 integration config(s) and 1 webhook secret(s); dropped 1 old key(s)"
        in done.out
    )
    new_keys = secrets.load_keys(home)
    assert len(new_keys) == 1 and new_keys[0] not in old_keys
    after = _tokens()
    assert set(after).isdisjoint(before)
    only_new = Fernet(new_keys[0])
    assert json.loads(only_new.decrypt(after[0].encode()))["api_key"] == PLANTED_SECRET
    owner = world.member(Role.OWNER)
    assert integrations.integration_config(owner, PROJECT, "shop") == {"api_key": PLANTED_SECRET}
    hook = Webhook.get()
    assert webhooks.webhook_secret(hook) == PLANTED_SECRET + "-hook"


def test_rotate_with_environment_keys(world, monkeypatch, home):
    """A new key in the variable is refused until `rotate` (by a holder of the known key) registers it."""
    owner = world.member(Role.OWNER)
    first = Fernet.generate_key().decode()
    monkeypatch.setenv(secrets.ENV_KEY, first)  # the world's key stays in the key file, after it
    with pytest.raises(PermissionDenied, match="not registered in this database.*secrets rotate"):
        integrations.add_integration(owner, PROJECT, "CUSTOM", "env-made", {"token": "env-secret"})
    integrations.rotate_secrets(owner)
    integrations.add_integration(owner, PROJECT, "CUSTOM", "env-made", {"token": "env-secret"})
    second = Fernet.generate_key().decode()
    monkeypatch.setenv(secrets.ENV_KEY, f"{second},{first}")
    counts = integrations.rotate_secrets(owner)
    assert counts["integrations.config_encrypted"] == 2 and counts["webhooks.secret_encrypted"] == 1
    only_second = Fernet(second.encode())
    for token in _tokens():  # the world's (made under the key file) and the one made under `first`
        only_second.decrypt(token.encode())
    (home / secrets.KEY_FILE_NAME).unlink()
    monkeypatch.setenv(secrets.ENV_KEY, second)  # the old keys can go now
    assert integrations.integration_config(owner, PROJECT, "env-made") == {"token": "env-secret"}
    assert integrations.integration_config(owner, PROJECT, "shop") == {"api_key": PLANTED_SECRET}
    monkeypatch.setenv(secrets.ENV_KEY, first)  # a retired key cannot write any more
    with pytest.raises(PermissionDenied, match="retired by 'bgpub secrets rotate'"):
        integrations.add_integration(owner, PROJECT, "CUSTOM", "late", {"token": "x"})


def _grep_tree(root, needle: bytes) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and needle in path.read_bytes():
            hits.append(str(path.relative_to(root)))
    return hits


def test_a_planted_secret_never_leaks(db_target, db, home, run_cli, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)  # peewee logs every query with its parameters at DEBUG
    world = (
        build_world()
    )  # plants PLANTED_SECRET in an integration and (suffixed) as a webhook secret
    owner = world.member(Role.OWNER)
    needle = PLANTED_SECRET.encode()
    outputs: dict[str, str] = {}

    # errors that involve the secret
    for attempt in (
        lambda: integrations.add_integration(
            owner, PROJECT, "STRIPE", "shop", {"api_key": PLANTED_SECRET}
        ),
        lambda: integrations.add_integration(
            owner, PROJECT, "STRIPE", "bad name!", {"api_key": PLANTED_SECRET}
        ),
        lambda: integrations.add_integration(
            owner, PROJECT, "STRIPE", "x", {"bad key!": PLANTED_SECRET}
        ),
        lambda: integrations.config_from_pairs([PLANTED_SECRET]),
    ):
        with pytest.raises(BgpubError) as refused:
            attempt()
        outputs[f"error {refused.value.__class__.__name__}"] = str(refused.value)

    # command output
    export_file = tmp_path / "me.json"
    for args in (
        ("integration", "list", PROJECT),
        ("audit", ORG),
        ("org", "show", ORG),
        ("user", "export", ROLE_EMAILS[Role.OWNER], "-o", str(export_file)),
        ("versions", PROJECT),
        ("webhook", "list", PROJECT),
        ("publish", PROJECT),
        ("export", PROJECT, str(tmp_path / "cli-export")),
        ("integration", "add", PROJECT, "stripe", "shop", f"api_key={PLANTED_SECRET}"),
        ("integration", "add", PROJECT, "stripe", "other-shop", f"api_key={PLANTED_SECRET}"),
    ):
        result = run_cli(*args)
        outputs["bgpub " + " ".join(args[:3])] = result.out + result.err
    assert "api_key=••••" in outputs[f"bgpub integration list {PROJECT}"]
    assert (tmp_path / "cli-export" / "project.json").exists()

    # snapshot, export folder, versions, every row of every table, every file in the workspace
    snapshot_json = snapshots.project_snapshot(owner, PROJECT).to_json()
    outputs["snapshot"] = (
        snapshot_json.decode() if isinstance(snapshot_json, bytes) else snapshot_json
    )
    snapshots.export_project(owner, PROJECT, tmp_path / "export")
    for model in MODELS:
        for row in model.select().dicts():
            outputs[f"table {model._meta.table_name}"] = outputs.get(
                f"table {model._meta.table_name}", ""
            ) + repr(row)
    outputs["logs"] = "\n".join(r.getMessage() for r in caplog.records)

    control = tmp_path / "control" / "planted.txt"  # the grep finds the secret where it is
    control.parent.mkdir()
    control.write_bytes(b"..." + needle + b"...")
    assert _grep_tree(tmp_path, needle) == ["control/planted.txt"]
    control.unlink()
    leaks = [name for name, text in outputs.items() if PLANTED_SECRET in text]
    leaks += _grep_tree(tmp_path, needle)  # export folder, user export, the SQLite file
    leaks += _grep_tree(home, needle)  # published site, build cache, config, key file
    assert not leaks, f"the planted secret shows up in: {leaks}"
    assert len(outputs["logs"]) > 1000 and "table versions" in outputs and export_file.exists()
    # ... yet it is really stored, encrypted, and decrypts for those allowed
    assert integrations.integration_config(owner, PROJECT, "shop") == {"api_key": PLANTED_SECRET}
