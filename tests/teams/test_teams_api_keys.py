"""API keys: shown once, stored as a prefix and an Argon2 hash, refused once revoked or expired."""

from __future__ import annotations

from datetime import timedelta

import pytest
from teams_world import ORG

from bgpub.db.enums import Role
from bgpub.db.fields import utcnow
from bgpub.db.models import ApiKey
from bgpub.errors import InvalidInput, PermissionDenied
from bgpub.services import api_keys


def test_key_is_stored_hashed_and_verifies(world):
    owner = world.member(Role.OWNER)
    view, plain = api_keys.create_api_key(owner, ORG, "deploy", ["write", "read"])
    row = ApiKey.get(ApiKey.prefix == view.prefix)
    assert plain.startswith(f"bgp_{view.prefix}_") and plain not in row.key_hash
    assert row.key_hash.startswith("$argon2") and row.permissions == ["read", "write"]
    assert api_keys.verify_api_key(plain).id == row.id
    assert ApiKey.get_by_id(row.id).last_used_at is not None
    for wrong in (plain[:-1] + ("x" if plain[-1] != "x" else "y"), "bgp_nope_nope", "garbage", ""):
        with pytest.raises(PermissionDenied, match="invalid or revoked"):
            api_keys.verify_api_key(wrong)
    api_keys.revoke_api_key(owner, ORG, view.prefix)
    with pytest.raises(PermissionDenied):
        api_keys.verify_api_key(plain)


def test_expired_and_unknown_permissions(world):
    owner = world.member(Role.OWNER)
    _, plain = api_keys.create_api_key(
        owner, ORG, "old", expires_at=utcnow() - timedelta(seconds=1)
    )
    with pytest.raises(PermissionDenied):
        api_keys.verify_api_key(plain)
    with pytest.raises(InvalidInput, match="admin"):
        api_keys.create_api_key(owner, ORG, "bad", ["admin"])
    names = [k.name for k in api_keys.list_api_keys(owner, ORG)]
    assert names == ["ci", "old"]


def test_cli_keys(world, run_cli):
    made = run_cli("org", "key", "create", ORG, "robot", "--permission", "write")
    assert made.code == 0, made.err
    plain = made.out.split("key (shown once): ")[1].strip()
    prefix = plain.split("_")[1]
    listed = run_cli("org", "key", "list", ORG)
    assert f"{prefix}\trobot\twrite\tactive" in listed.out and plain not in listed.out
    assert run_cli("org", "key", "revoke", ORG, prefix).code == 0
    assert f"{prefix}\trobot\twrite\trevoked" in run_cli("org", "key", "list", ORG).out
    denied = run_cli("org", "key", "list", ORG, as_email=world.member(Role.EDITOR).email)
    assert denied.code != 0 and "ADMIN" in denied.err
