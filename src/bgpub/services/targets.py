"""Deploy targets of a project: adding, listing, removing, and choosing where a publish goes."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bgpub.config import workspace_dir
from bgpub.db.connection import database
from bgpub.db.enums import DeploymentStatus, TargetKind
from bgpub.db.models import Deployment, DeployTarget, Project, User
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.publish.targets import KINDS, Target, make_target
from bgpub.services import audit
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
DEFAULT_NAME = "default"


@dataclass(frozen=True)
class TargetView:
    name: str
    kind: str
    location: str
    config: dict[str, Any]
    live_version: int | None


def project_dir(project: Project, workspace: Path | None = None) -> Path:
    """bgpub's private folder for one project: the render cache and the targets' state."""
    return (workspace or workspace_dir()) / "publish" / project.id


def default_site_path(project: Project, workspace: Path | None = None) -> Path:
    return (workspace or workspace_dir()) / "live" / project.organization.slug / project.name


def state_dir(target: DeployTarget, workspace: Path | None = None) -> Path:
    return project_dir(target.project, workspace) / "targets" / target.id


def open_target(target: DeployTarget, workspace: Path | None = None) -> Target:
    return make_target(str(target.kind), target.config or {}, state_dir(target, workspace))


def _absolute(value: str) -> str:
    return os.path.abspath(os.path.expanduser(value))


def check_config(kind: str, options: dict[str, Any], where: str) -> dict[str, Any]:
    """The stored config for a kind: required options present, local paths made absolute."""
    given = {k: v for k, v in options.items() if v not in (None, "")}
    if kind == "dir":
        if "path" not in given:
            raise InvalidInput("a dir target needs --path", where=where)
        config = {"path": _absolute(str(given["path"]))}
        if "keep" in given:
            keep = int(given["keep"])
            if not 2 <= keep <= 20:
                raise InvalidInput("--keep must be between 2 and 20", where=where)
            config["keep"] = keep
        return config
    if kind == "git":
        if "repo" not in given:
            raise InvalidInput("a git target needs --repo (a local repository path)", where=where)
        branch = str(given.get("branch") or "gh-pages")
        if not re.match(r"^[A-Za-z0-9._/-]+$", branch) or ".." in branch or branch.startswith(("/", "-")):
            raise InvalidInput(f"{branch!r} is not a usable branch name", where=where)
        return {"repo": _absolute(str(given["repo"])), "branch": branch}
    if kind == "rsync":
        if "dest" not in given:
            raise InvalidInput("an rsync target needs --dest (PATH or HOST:PATH)", where=where)
        dest = str(given["dest"])
        from bgpub.publish.targets.rsync import is_remote

        return {"dest": dest if is_remote(dest) else _absolute(dest)}
    raise InvalidInput(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}", where=where)


def add_target(actor: User, project: str | Project, name: str, kind: str, **options: Any) -> DeployTarget:
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_TARGETS)
    where = f"project {project.name}, target {name}"
    if not NAME_RE.match(name or ""):
        raise InvalidInput("target names use a-z, 0-9 and '-' (at most 63)", where=where)
    if name == "all":
        raise InvalidInput("'all' means every target; choose another name", where=where)
    config = check_config(kind, options, where)
    with database.atomic():
        if DeployTarget.select().where((DeployTarget.project == project) & (DeployTarget.name == name)).exists():
            raise Conflict("a target of that name exists", where=where)
        target = DeployTarget.create(project=project, name=name, kind=TargetKind(kind), config=config)
        audit.record(actor, project.organization, "target.add", "deploy_target", target.id,
                     {"project": project.name, "name": name, "kind": kind})
    return target


def remove_target(actor: User, project: str | Project, name: str) -> None:
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_TARGETS)
    target = get_target(project, name)
    with database.atomic():
        audit.record(actor, project.organization, "target.remove", "deploy_target", target.id,
                     {"project": project.name, "name": name})
        target.delete_instance()


def get_target(project: Project, name: str) -> DeployTarget:
    target = DeployTarget.get_or_none((DeployTarget.project == project) & (DeployTarget.name == name))
    if target is None:
        raise NotFound(f"no target {name!r} (see 'bgpub target list {project.name}')",
                       where=f"project {project.name}")
    return target


def project_targets(project: Project) -> list[DeployTarget]:
    return list(DeployTarget.select().where(DeployTarget.project == project)
                .order_by(DeployTarget.created_at, DeployTarget.name))


def ensure_default_target(project: Project, workspace: Path | None = None) -> DeployTarget:
    """The dir target in the workspace that a project without targets publishes to."""
    existing = DeployTarget.get_or_none((DeployTarget.project == project) & (DeployTarget.name == DEFAULT_NAME))
    if existing is not None:
        return existing
    path = str(default_site_path(project, workspace))
    return DeployTarget.create(project=project, name=DEFAULT_NAME, kind=TargetKind.DIR, config={"path": path})


def choose_targets(project: Project, name: str | None, workspace: Path | None = None,
                   *, create_default: bool = True) -> list[DeployTarget]:
    """`all`: every target; a name: that one; none: the only (or first added) target, else the default."""
    targets = project_targets(project)
    if name not in (None, "all"):
        if name == DEFAULT_NAME and not targets and create_default:
            return [ensure_default_target(project, workspace)]
        return [get_target(project, name)]
    if not targets:
        if not create_default:
            path = str(default_site_path(project, workspace))
            return [DeployTarget(project=project, name=DEFAULT_NAME, kind=TargetKind.DIR, config={"path": path})]
        return [ensure_default_target(project, workspace)]
    return targets if name == "all" else targets[:1]


def live_versions(project: Project) -> dict[str, int]:
    """Target name -> number of the version its last successful deployment put live; only targets that
    still exist (removing a target sets its deployments' `target` to NULL)."""
    from bgpub.db.models import Version

    rows = (Deployment.select(Deployment.target_name, Version.number, Deployment.finished_at)
            .join(Version).where((Deployment.project == project) & (Deployment.status == DeploymentStatus.SUCCEEDED)
                                 & Deployment.target.is_null(False))
            .order_by(Deployment.finished_at, Deployment.id).tuples())
    live: dict[str, int] = {}
    for target_name, number, _ in rows:
        live[target_name] = number
    return live


def list_targets(actor: User, project: str | Project, workspace: Path | None = None) -> list[TargetView]:
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    live = live_versions(project)
    views = []
    for target in project_targets(project):
        location = open_target(target, workspace).location
        views.append(TargetView(target.name, str(target.kind), location, dict(target.config or {}),
                                live.get(target.name)))
    return views
