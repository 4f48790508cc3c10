"""The role matrix, walked: every mutating service operation with every role, allowed or refused.

Each (operation, role) pair runs inside a transaction that is rolled back afterwards, so all pairs
share one world per backend; a refusal must name the role it needs and write nothing.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from teams_world import NOT_ROLE_SCOPED, OPERATIONS, OUTSIDER, READ_ONLY_PREFIXES

import bgpub.services
from bgpub.db.connection import database
from bgpub.db.enums import Role, SubscriptionStatus
from bgpub.db.models import AuditLog, Organization
from bgpub.errors import BgpubError, NotFound, PermissionDenied
from bgpub.services.permissions import RANK

ROLES = [Role.OWNER, Role.ADMIN, Role.EDITOR, Role.VIEWER]


def discovered_operations() -> set[str]:
    """Public functions of bgpub.services whose first parameter is the acting user and that may write."""
    found = set()
    for info in pkgutil.iter_modules(bgpub.services.__path__):
        module = importlib.import_module(f"bgpub.services.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = list(inspect.signature(func).parameters)
            if not params or params[0] != "actor" or name.startswith(READ_ONLY_PREFIXES):
                continue
            if _only_reads(inspect.getsource(func)):
                continue
            found.add(f"{info.name}.{name}")
    return found


def _only_reads(source: str) -> bool:
    """Checks READ and nothing else: no other action, no transaction, no audit row."""
    actions = set(re.findall(r"Action\.([A-Z_]+)", source))
    return actions == {"READ"} and "atomic(" not in source and "audit.record(" not in source


def test_every_mutating_operation_is_walked():
    listed = {op.name for op in OPERATIONS} | set(NOT_ROLE_SCOPED)
    missing = sorted(discovered_operations() - listed)
    assert not missing, f"add these to OPERATIONS in tests/teams/teams_world.py: {missing}"
    stale = sorted({op.name for op in OPERATIONS} - discovered_operations())
    assert not stale, f"listed but no longer in bgpub.services: {stale}"


def _attempt(op, world, actor):
    """Runs the operation in a transaction that is always rolled back; returns the error or None."""
    with database.atomic() as txn:
        audit_before = AuditLog.select().count()
        try:
            op.run(world, actor)
            error = None
        except BgpubError as exc:
            error = exc
            assert AuditLog.select().count() == audit_before, (
                f"{op.name}: refused but wrote an audit row"
            )
        else:
            assert AuditLog.select().count() > audit_before, (
                f"{op.name}: allowed but wrote no audit row"
            )
        txn.rollback()
    return error


def test_role_matrix(world):
    problems: list[str] = []
    for op in OPERATIONS:
        for role in ROLES:
            error = _attempt(op, world, world.member(role))
            allowed = RANK[role] >= RANK[op.needs]
            if allowed and error is not None:
                problems.append(f"{op.name} as {role.value}: should succeed, got {error!r}")
            elif not allowed:
                if not isinstance(error, PermissionDenied):
                    problems.append(f"{op.name} as {role.value}: should be refused, got {error!r}")
                elif op.needs.value not in str(error):
                    problems.append(
                        f"{op.name} as {role.value}: refusal does not name {op.needs.value}: {error}"
                    )
        error = _attempt(op, world, world.user(OUTSIDER))
        if op.outsider_refused and not isinstance(error, (PermissionDenied, NotFound)):
            problems.append(f"{op.name} as an outsider: should be refused, got {error!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("status", [SubscriptionStatus.PAST_DUE, SubscriptionStatus.CANCELED])
def test_lapsed_subscription_is_read_only_except_the_tier(world, status):
    Organization.update(subscription_status=status).where(Organization.slug == world.org).execute()
    owner = world.member(Role.OWNER)
    problems = []
    for op in OPERATIONS:
        if op.name == "organizations.change_tier":
            continue
        error = _attempt(op, world, owner)
        if not isinstance(error, PermissionDenied) or status.value not in str(error):
            problems.append(
                f"{op.name} on a {status.value} organization: expected read-only refusal, got {error!r}"
            )
    assert not problems, "\n".join(problems)
    from bgpub.services.organizations import change_tier
    from bgpub.services.projects import list_projects

    assert [p.name for p in list_projects(owner)]  # reading still works
    changed = change_tier(owner, world.org, "STARTER")
    assert changed.subscription_status == SubscriptionStatus.ACTIVE


def test_previewing_needs_an_editor(world, db_target, home, monkeypatch):
    from teams_world import ROLE_EMAILS

    from bgpub.preview.session import PreviewServer
    from bgpub.services.workspace import open_workspace

    monkeypatch.setenv("BGPUB_ALLOW_IMPERSONATION", "1")
    viewer = open_workspace(db_target.url, ROLE_EMAILS[Role.VIEWER], workspace_path=home)
    with pytest.raises(PermissionDenied, match="preview needs the EDITOR role"):
        PreviewServer(viewer, "site", watch=False).start()
