"""The key fingerprints: a lost key file, a team-mate's fresh workspace or a stray key never forks the keys.

Each test attacks a class: every way of losing the key against every way of writing a secret, every
bad import, every listing with a row nobody here can read. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import io
import os
import stat
import sys
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest
from cryptography.fernet import Fernet
from teams_world import ORG, PLANTED_SECRET, PROJECT, ROLE_EMAILS, World

from bgpub.db import schema
from bgpub.db.connection import init_database
from bgpub.db.enums import Role, SubscriptionTier
from bgpub.db.models import (
    MODELS,
    Integration,
    Organization,
    Project,
    SecretKeyFingerprint,
    User,
    Webhook,
)
from bgpub.errors import BgpubError, Conflict, PermissionDenied
from bgpub.services import (
    database_logins,
    integrations,
    members,
    organizations,
    projects,
    secrets,
    webhooks,
)
from bgpub.services.workspace import open_workspace

HOOK_URL = (
    "https://93.184.215.14/hook"  # a public address literal: nothing resolves it, nothing is sent
)


@pytest.fixture(autouse=True)
def no_key_variables(monkeypatch):
    for name in (secrets.ENV_KEY, secrets.ENV_KEY_ALIAS):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def world(db_target, db, home, no_key_variables) -> World:
    """The teams world cut to what keys touch: acme's owner, project `site`, one integration, one webhook."""
    owner = User.create(email=ROLE_EMAILS[Role.OWNER], name="Olive Owner")
    organizations.create_organization(owner, ORG, "Acme")
    Organization.update(tier=SubscriptionTier.ENTERPRISE).where(Organization.slug == ORG).execute()
    projects.create_project(owner, PROJECT, organization=ORG, title="Acme site")
    integrations.add_integration(owner, PROJECT, "STRIPE", "shop", {"api_key": PLANTED_SECRET})
    webhooks.add_webhook(owner, PROJECT, HOOK_URL)
    return World()


def _state() -> tuple:
    """Everything a refused write must leave as it was."""
    return (
        sorted(Integration.select(Integration.name, Integration.config_encrypted).tuples()),
        sorted(Webhook.select(Webhook.id, Webhook.secret_encrypted).tuples()),
        sorted(
            SecretKeyFingerprint.select(
                SecretKeyFingerprint.fingerprint, SecretKeyFingerprint.retired_at
            ).tuples()
        ),
    )


def _file_bytes(path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


# ways the key goes missing or wrong: each sets up the workspace and returns the key file to watch
def _deleted(home, tmp_path, monkeypatch):
    (home / secrets.KEY_FILE_NAME).unlink()
    return home / secrets.KEY_FILE_NAME


def _replaced(home, tmp_path, monkeypatch):
    secrets._write_key_file(home / secrets.KEY_FILE_NAME, [Fernet.generate_key()])
    return home / secrets.KEY_FILE_NAME


def _in_variable(name):
    def setup(home, tmp_path, monkeypatch):
        monkeypatch.setenv("BGPUB_HOME", str(tmp_path / f"env-{name}"))
        monkeypatch.setenv(name, Fernet.generate_key().decode())
        return tmp_path / f"env-{name}" / secrets.KEY_FILE_NAME

    return setup


def _other_workspace(home, tmp_path, monkeypatch):
    other = tmp_path / "team-mate"
    monkeypatch.setenv("BGPUB_HOME", str(other))
    return other / secrets.KEY_FILE_NAME


KEY_LOSSES = {
    "key file deleted": (_deleted, "no secret key here"),
    "key file replaced by a new key": (_replaced, "not this database's"),
    "a new key in BGPUB_SECRET_KEYS": (_in_variable(secrets.ENV_KEY), "not this database's"),
    "a new key in BGPUB_SECRET_KEY": (_in_variable(secrets.ENV_KEY_ALIAS), "not this database's"),
    "a team-mate's empty workspace": (_other_workspace, "no secret key here"),
}


def _writers(world, run_cli):
    owner = world.member(Role.OWNER)
    return {
        "add_integration": lambda: integrations.add_integration(
            owner, PROJECT, "CUSTOM", "late", {"k": "v"}
        ),
        "add_webhook": lambda: webhooks.add_webhook(owner, PROJECT, HOOK_URL),
        "bgpub integration add": lambda: run_cli(
            "integration", "add", PROJECT, "custom", "late", "k=v"
        ),
    }


def test_every_lost_key_refuses_every_write(world, run_cli, home, tmp_path, monkeypatch):
    writers = _writers(world, run_cli)
    problems = []
    for loss, (setup, expected) in KEY_LOSSES.items():
        with monkeypatch.context() as patch:
            saved = _file_bytes(home / secrets.KEY_FILE_NAME)
            watched = setup(home, tmp_path, patch)
            before, before_file = _state(), _file_bytes(watched)
            for name, write in writers.items():
                try:
                    outcome = write()
                except BgpubError as exc:
                    message, code = str(exc), 1
                else:
                    message, code = (
                        (outcome.err, outcome.code) if hasattr(outcome, "code") else ("", 0)
                    )
                if code == 0 or expected not in message:
                    problems.append(f"{loss} / {name}: not refused as expected: {message!r}")
                if "no secret key" in expected and not (
                    secrets.ENV_KEY in message
                    and "import-key" in message
                    and str(watched) in message
                ):
                    problems.append(
                        f"{loss} / {name}: the refusal does not say where the key goes: {message!r}"
                    )
                if "\n" in message.strip():
                    problems.append(f"{loss} / {name}: more than one line: {message!r}")
                if _state() != before or _file_bytes(watched) != before_file:
                    problems.append(f"{loss} / {name}: something was written")
        (home / secrets.KEY_FILE_NAME).unlink(missing_ok=True)
        secrets._write_key_file(home / secrets.KEY_FILE_NAME, [saved.strip()])
    assert not problems, "\n".join(problems)
    # the key holder still writes
    integrations.add_integration(world.member(Role.OWNER), PROJECT, "CUSTOM", "late", {"k": "v"})


def test_a_database_that_forgot_its_fingerprints_adopts_only_a_key_that_opens_every_secret(
    world, home, tmp_path, monkeypatch
):
    """Databases from before 0008 have secrets and no fingerprint: a stray key must not become theirs."""
    owner = world.member(Role.OWNER)
    SecretKeyFingerprint.delete().execute()
    real = home / secrets.KEY_FILE_NAME
    monkeypatch.setenv("BGPUB_HOME", str(tmp_path / "stray"))
    with pytest.raises(PermissionDenied, match="no secret key here"):
        integrations.add_integration(owner, PROJECT, "CUSTOM", "late", {"k": "v"})
    assert not (tmp_path / "stray" / secrets.KEY_FILE_NAME).exists()
    secrets._write_key_file(tmp_path / "stray" / secrets.KEY_FILE_NAME, [Fernet.generate_key()])
    with pytest.raises(PermissionDenied, match=r"2 stored secret\(s\) cannot be decrypted.*'shop'"):
        integrations.add_integration(owner, PROJECT, "CUSTOM", "late", {"k": "v"})
    with pytest.raises(PermissionDenied, match="none of the keys decrypts"):
        secrets.import_keys(Fernet.generate_key().decode(), source="stray.key")
    assert SecretKeyFingerprint.select().count() == 0
    monkeypatch.setenv("BGPUB_HOME", str(home))
    integrations.add_integration(owner, PROJECT, "CUSTOM", "late", {"k": "v"})
    [row] = SecretKeyFingerprint.select()
    assert row.fingerprint == secrets.fingerprint(secrets.load_keys()[0]) and row.retired_at is None
    assert real.exists()


def test_export_then_import_brings_a_team_mates_workspace_in(
    world, run_cli, home, tmp_path, monkeypatch
):
    mate = tmp_path / "team-mate"
    monkeypatch.setenv("BGPUB_HOME", str(mate))
    refused = run_cli("integration", "add", PROJECT, "custom", "from-mate", "token=mate-secret")
    assert (
        refused.code != 0
        and "import-key" in refused.err
        and not (mate / secrets.KEY_FILE_NAME).exists()
    )

    # through a file
    monkeypatch.setenv("BGPUB_HOME", str(home))
    handover = tmp_path / "handover.key"
    exported = run_cli("secrets", "export-key", "-o", str(handover))
    assert exported.code == 0, exported.err
    assert stat.S_IMODE(handover.stat().st_mode) == 0o600 and "warning" in exported.err
    again = run_cli("secrets", "export-key", "-o", str(handover))
    assert again.code != 0 and "exists" in again.err
    monkeypatch.setenv("BGPUB_HOME", str(mate))
    imported = run_cli("secrets", "import-key", str(handover))
    assert imported.code == 0, imported.err
    assert "current key" in imported.out
    assert stat.S_IMODE((mate / secrets.KEY_FILE_NAME).stat().st_mode) == 0o600
    added = run_cli("integration", "add", PROJECT, "custom", "from-mate", "token=mate-secret")
    assert added.code == 0, added.err
    listed = run_cli("integration", "list", PROJECT)
    assert (
        listed.code == 0
        and "from-mate\tCUSTOM\ttoken=••••" in listed.out
        and "shop\tSTRIPE" in listed.out
    )
    assert secrets.UNREADABLE not in listed.out + listed.err

    # through a pipe: standard output to standard input, into a third workspace
    monkeypatch.setenv("BGPUB_HOME", str(home))
    piped = run_cli("secrets", "export-key")
    assert (
        piped.code == 0
        and piped.out.strip().encode() == home.joinpath(secrets.KEY_FILE_NAME).read_bytes().strip()
    )
    third = tmp_path / "third"
    monkeypatch.setenv("BGPUB_HOME", str(third))
    monkeypatch.setattr(sys, "stdin", io.StringIO(piped.out))
    assert run_cli("secrets", "import-key", "-").code == 0
    status = run_cli("secrets", "status")
    assert status.code == 0 and "\tcurrent\t" in status.out
    monkeypatch.setenv("BGPUB_HOME", str(home))
    owner_view = integrations.list_integrations(world.member(Role.OWNER), PROJECT)
    assert all(view.readable for view in owner_view) and len(owner_view) == 2
    assert integrations.integration_config(world.member(Role.OWNER), PROJECT, "from-mate") == {
        "token": "mate-secret"
    }
    for path in (handover, mate / secrets.KEY_FILE_NAME, third / secrets.KEY_FILE_NAME):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path

    # not onto a terminal unless asked
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    refused = run_cli("secrets", "export-key")
    key = home.joinpath(secrets.KEY_FILE_NAME).read_text().strip()
    assert refused.code != 0 and "--yes" in refused.err and key not in refused.out + refused.err
    shown = run_cli("secrets", "export-key", "--yes")
    assert shown.code == 0 and shown.out.strip() == key


def test_import_key_refuses_what_is_not_this_databases_key(
    world, run_cli, home, tmp_path, monkeypatch
):
    old_key = home.joinpath(secrets.KEY_FILE_NAME).read_bytes().strip()
    assert run_cli("secrets", "rotate").code == 0  # old_key is retired now
    not_base64 = "this-is-not-a-fernet-key-" + "x" * 20
    bad_inputs = {
        "not a Fernet key": (not_base64, "not a Fernet key"),
        "the right length, not base64": ("!" * 44, "not a Fernet key"),
        "empty": ("", "no key found"),
        "comments only": ("# nothing here\n", "no key found"),
        "a fresh key": (Fernet.generate_key().decode(), "not this database's"),
        "two fresh keys": (
            f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
            "not this database's",
        ),
        "the retired key": (old_key.decode(), "retired"),
        "a good key after a bad one": (
            f"{not_base64}\n{old_key.decode()}",
            "key 1 is not a Fernet key",
        ),
    }
    mate = tmp_path / "team-mate"
    monkeypatch.setenv("BGPUB_HOME", str(mate))
    problems = []
    for name, (text, expected) in bad_inputs.items():
        source = tmp_path / f"{name.replace(' ', '-')}.key"
        source.write_text(text)
        outcome = run_cli("secrets", "import-key", str(source))
        if outcome.code == 0 or expected not in outcome.err:
            problems.append(f"{name}: {outcome.code} {outcome.err!r}")
        if not_base64 in outcome.err or old_key.decode() in outcome.err:
            problems.append(f"{name}: the error echoes a key")
        if (mate / secrets.KEY_FILE_NAME).exists():
            problems.append(f"{name}: a key file was written")
    missing = run_cli("secrets", "import-key", str(tmp_path / "nowhere.key"))
    if missing.code == 0 or "cannot read it" not in missing.err:
        problems.append(f"missing file: {missing.err!r}")
    assert not problems, "\n".join(problems)


def _plant_foreign_rows(world) -> str:
    """Rows under a key nobody here has: what a forked workspace wrote before fingerprints existed."""
    foreign = Fernet(Fernet.generate_key())
    project = Project.get(Project.name == PROJECT)
    Integration.create(
        project=project,
        type="CUSTOM",
        name="forked",
        config_encrypted=foreign.encrypt(b'{"token": "lost"}').decode(),
    )
    return Webhook.create(
        project=project,
        url=HOOK_URL,
        events=["publish"],
        secret_encrypted=foreign.encrypt(b"lost-hook").decode(),
    ).id


def test_a_row_no_key_here_opens_does_not_break_listing_and_stops_rotation_whole(
    world, run_cli, home
):
    key_file = home / secrets.KEY_FILE_NAME
    key_file.rename(home / "aside.key")  # no key at all: every row still lists, and no key is made
    listed = run_cli("integration", "list", PROJECT)
    assert listed.code == 0 and f"shop\tSTRIPE\t({secrets.UNREADABLE})" in listed.out
    assert not key_file.exists()
    (home / "aside.key").rename(key_file)

    foreign_hook = _plant_foreign_rows(world)
    listed = run_cli("integration", "list", PROJECT)
    assert listed.code == 0, listed.err
    lines = dict(line.split("\t", 1) for line in listed.out.strip().splitlines())
    assert lines["shop"] == "STRIPE\tapi_key=••••"
    assert lines["forked"] == f"CUSTOM\t({secrets.UNREADABLE})"
    assert "1 integration(s)" in listed.err and "import-key" in listed.err
    hooks = run_cli("webhook", "list", PROJECT)
    assert hooks.code == 0, hooks.err
    with pytest.raises(PermissionDenied, match="cannot be decrypted"):
        integrations.integration_config(world.member(Role.OWNER), PROJECT, "forked")

    before, key_before = _state(), home.joinpath(secrets.KEY_FILE_NAME).read_bytes()
    rotated = run_cli("secrets", "rotate")
    assert rotated.code != 0
    assert "2 stored secret(s) cannot be decrypted" in rotated.err and "'forked'" in rotated.err
    assert "nothing was re-encrypted" in rotated.err and "Traceback" not in rotated.err
    assert len(rotated.err.strip().splitlines()) == 1
    assert _state() == before and home.joinpath(secrets.KEY_FILE_NAME).read_bytes() == key_before

    assert run_cli("integration", "remove", PROJECT, "forked").code == 0
    Webhook.delete().where(Webhook.id == foreign_hook).execute()
    rotated = run_cli("secrets", "rotate")
    assert rotated.code == 0, rotated.err
    assert "re-encrypted 1 integration config(s) and 1 webhook secret(s)" in rotated.out
    assert integrations.integration_config(world.member(Role.OWNER), PROJECT, "shop") == {
        "api_key": PLANTED_SECRET
    }


def test_rotation_registers_the_new_key_and_retires_the_old_for_everyone(
    world, run_cli, home, tmp_path, monkeypatch
):
    old = home.joinpath(secrets.KEY_FILE_NAME).read_bytes().strip()
    mate = tmp_path / "team-mate"
    secrets._write_key_file(mate / secrets.KEY_FILE_NAME, [old])  # a copy made before the rotation
    assert run_cli("secrets", "rotate").code == 0
    new = home.joinpath(secrets.KEY_FILE_NAME).read_bytes().strip()
    rows = {r.fingerprint: r for r in SecretKeyFingerprint.select()}
    assert rows[secrets.fingerprint(new)].vouched_by == secrets.fingerprint(old)
    assert (
        rows[secrets.fingerprint(new)].retired_at is None
        and rows[secrets.fingerprint(old)].retired_at
    )
    monkeypatch.setenv("BGPUB_HOME", str(mate))
    stale = run_cli("integration", "add", PROJECT, "custom", "late", "k=v")
    assert stale.code != 0 and "retired by 'bgpub secrets rotate'" in stale.err
    assert f"({secrets.UNREADABLE})" in run_cli("integration", "list", PROJECT).out
    assert run_cli("secrets", "rotate").code != 0  # the retired key cannot vouch for another
    monkeypatch.setenv("BGPUB_HOME", str(home))
    assert secrets.key_states()[0].state == "current"

    # the database keeps fingerprints, never a key; `secrets status` shows fingerprints only
    dump = "".join(repr(row) for model in MODELS for row in model.select().dicts())
    status = run_cli("secrets", "status")
    for key in (old, new):
        assert key.decode() not in dump and base64.urlsafe_b64decode(key).hex() not in dump
        assert secrets.fingerprint(key) in dump and key.decode() not in status.out
    assert secrets.fingerprint(new)[:16] in status.out


def test_start_over_forgets_lost_keys_only_once_no_secret_is_left(world, run_cli, home):
    owner = world.member(Role.OWNER)
    home.joinpath(secrets.KEY_FILE_NAME).unlink()  # every copy of the key is gone
    refused = run_cli("secrets", "rotate", "--start-over")
    assert refused.code != 0 and "2 stored secret(s) remain" in refused.err
    assert (
        not home.joinpath(secrets.KEY_FILE_NAME).exists()
        and SecretKeyFingerprint.select().count() == 1
    )
    integrations.remove_integration(owner, PROJECT, "shop")
    webhooks.remove_webhook(owner, PROJECT, Webhook.get().id)
    assert run_cli("secrets", "rotate", "--start-over").code == 0
    [row] = SecretKeyFingerprint.select()
    assert row.fingerprint == secrets.fingerprint(secrets.load_keys()[0]) and row.vouched_by == ""
    integrations.add_integration(owner, PROJECT, "CUSTOM", "fresh", {"k": "v"})


def test_the_first_key_and_each_successor_are_registered_once(world):
    """The lineage is unique in the database itself: two first keys, or two heirs of one key, cannot both land."""
    [first] = SecretKeyFingerprint.select()
    assert first.vouched_by == ""
    with pytest.raises(Conflict, match="at the same moment"):  # a second "first key"
        secrets._register(Fernet.generate_key(), vouched_by="")
    secrets._register(Fernet.generate_key(), vouched_by=first.fingerprint)
    with pytest.raises(Conflict, match="at the same moment"):  # a second heir of the same key
        secrets._register(Fernet.generate_key(), vouched_by=first.fingerprint)
    assert SecretKeyFingerprint.select().count() == 2


def test_a_fingerprint_never_reveals_its_key():
    keys = [Fernet.generate_key() for _ in range(200)] + [
        base64.urlsafe_b64encode(bytes(32)),
        base64.urlsafe_b64encode(b"\xff" * 32),
    ]
    prints = [secrets.fingerprint(k) for k in keys]
    assert len(set(prints)) == len(keys)
    assert prints == [secrets.fingerprint(k) for k in keys]  # stable: the database can compare them
    for key, fp in zip(keys, prints, strict=True):
        raw_hex = base64.urlsafe_b64decode(key).hex()
        assert len(fp) == secrets.FINGERPRINT_HEX and fp != key.decode()
        assert fp not in key.decode() and key.decode() not in fp
        assert fp not in raw_hex and fp[:8] not in raw_hex and raw_hex[:8] not in fp
        assert fp != hashlib.sha256(key).hexdigest()[: len(fp)]  # not a bare hash of the key text


def test_migration_0008_up_down_up(world, db_target, db):
    name = "0008_secret_key_fingerprints"
    later = [m for m in schema.applied(db) if m > name]
    assert schema.rollback(db, len(later) + 1)[-1] == name
    tables = db.get_tables()
    assert "secret_key_fingerprints" not in tables and "integrations" in tables
    schema.migrate(db)
    assert SecretKeyFingerprint.select().count() == 0  # the next write registers the key again
    integrations.add_integration(world.member(Role.OWNER), PROJECT, "CUSTOM", "after", {"k": "v"})
    assert SecretKeyFingerprint.select().count() == 1
    if db_target.kind == "postgres":
        policies = {
            r[0]
            for r in db.execute_sql(
                "SELECT policyname FROM pg_policies WHERE tablename = 'secret_key_fingerprints'"
            ).fetchall()
        }
        assert policies == {"bgpub_read", "bgpub_insert"}
    migration = importlib.import_module(f"bgpub.db.migrations.{name}")
    assert migration.TABLE == SecretKeyFingerprint._meta.table_name


def test_member_logins_read_the_fingerprints_but_cannot_change_them(world, db_target, db, home):
    """PostgreSQL: a login granted before 0008 gets the table too; members register a first key, never retire one."""
    if db_target.kind == "sqlite":
        pytest.skip("database logins and row-level security are PostgreSQL features")
    owner = world.member(Role.OWNER)
    members.add_member(owner, ORG, ROLE_EMAILS[Role.ADMIN], Role.ADMIN)
    name = "0008_secret_key_fingerprints"
    schema.rollback(db, len([m for m in schema.applied(db) if m > name]) + 1)
    role, password = database_logins.grant_database_login(owner, ROLE_EMAILS[Role.ADMIN])
    try:
        schema.migrate(db)
        parts = urlparse(db_target.url)
        login_url = urlunparse(
            parts._replace(netloc=f"{role}:{password}@{parts.hostname}:{parts.port or 5432}")
        )
        admin = open_workspace(login_url, workspace_path=home).actor
        integrations.add_integration(admin, PROJECT, "CUSTOM", "by-admin", {"k": "v"})  # registers
        with pytest.raises(PermissionDenied, match="owner connection"):
            integrations.rotate_secrets(admin)
        conn = psycopg2.connect(login_url)
        conn.autocommit = True
        try:
            cur = conn.cursor()
            cur.execute("SELECT count(*) FROM secret_key_fingerprints")
            assert cur.fetchone()[0] == 1
            cur.execute("UPDATE secret_key_fingerprints SET retired_at = now()")
            assert cur.rowcount == 0
            cur.execute("DELETE FROM secret_key_fingerprints")
            assert cur.rowcount == 0
        finally:
            conn.close()
    finally:
        init_database(db_target.url)
        database_logins.revoke_database_login(owner, ROLE_EMAILS[Role.ADMIN])
    assert SecretKeyFingerprint.get().retired_at is None
