"""Deploy targets of a project: adding, listing, removing, and choosing where a publish goes.

Front ends get domain values (`bgpub.domain.targets`); the row helpers (`get_target`,
`project_targets`, `choose_targets`, `open_target`, `site_address`,
`publish_address`, `host_files`, `deployed_state`, `unknown_state_warnings`) are internal: other
services (publishing, building, promotion) pass `DeployTarget` rows between them."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bgpub.config import read_config_file, workspace_dir
from bgpub.db.connection import database
from bgpub.db.enums import DeploymentStatus, TargetKind
from bgpub.db.mapping import target_value
from bgpub.db.models import Deployment, DeployTarget, Project, User
from bgpub.db.rows import tuple_rows
from bgpub.domain.targets import SiteAddress, TargetCheck, TargetView
from bgpub.domain.targets import Target as TargetValue
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.publish.targets import Target, make_target, registry
from bgpub.services import audit
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require

if TYPE_CHECKING:
    from bgpub.publish.targets.credentials import KeysSource

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
DEFAULT_NAME = "default"


@dataclass(frozen=True)
class DeployedState:
    """What the database knows is on a target: the manifest of its last deployment when that one
    succeeded (None when unknown) and the last `remote_ref` a deployment there reported."""

    manifest: dict[str, Any] | None
    remote_ref: str | None


def project_dir(project: Project, workspace: Path | None = None) -> Path:
    """bgpub's private folder for one project: the render cache and the targets' state."""
    folder: Path = (workspace or workspace_dir()) / "publish" / project.id
    return folder


def default_site_path(project: Project, workspace: Path | None = None) -> Path:
    folder: Path = (
        (workspace or workspace_dir()) / "live" / project.organization.slug / project.name
    )
    return folder


def state_dir(target: DeployTarget, workspace: Path | None = None) -> Path:
    folder: Path = project_dir(target.project, workspace) / "targets" / target.id
    return folder


def open_target(target: DeployTarget, workspace: Path | None = None) -> Target:
    """The target object; a config naming an integration for its keys gets a lookup that decrypts
    them when the target first talks to its store (never stored, printed or logged)."""
    config = dict(target.config or {})
    if isinstance(config.get("credentials"), str):
        config["credentials"] = _keys_lookup(target.project, config["credentials"], workspace)
    return make_target(str(target.kind), config, state_dir(target, workspace))


KEY_NAMES = ("access_key_id", "secret_access_key")


def _keys_lookup(project: Project, name: str, workspace: Path | None) -> KeysSource:
    from bgpub.publish.targets.credentials import AccessKeys

    def lookup() -> AccessKeys:
        return AccessKeys(f"integration {name}", *_integration_keys(project, name, workspace))

    return lookup


def _integration_keys(
    project: Project, name: str, workspace: Path | None = None
) -> tuple[str, str, str | None]:
    """(access key id, secret access key, session token) from the project's encrypted integration."""
    import json

    from bgpub.db.models import Integration
    from bgpub.services import secrets

    where = f"project {project.name}, integration {name}"
    row = Integration.get_or_none((Integration.project == project) & (Integration.name == name))
    if row is None:
        raise NotFound(
            f"no integration {name!r} holds this target's access keys (see 'bgpub integration "
            f"list {project.name}')",
            where=where,
        )
    if not row.enabled:
        raise InvalidInput(
            "the integration holding this target's access keys is disabled", where=where
        )
    config = json.loads(secrets.decrypt(row.config_encrypted, workspace=workspace))
    missing = [key for key in KEY_NAMES if not config.get(key)]
    if missing:
        raise InvalidInput(
            f"the integration has no {' or '.join(missing)} (it holds "
            f"{', '.join(sorted(config)) or 'nothing'})",
            where=where,
        )
    return config["access_key_id"], config["secret_access_key"], config.get("session_token") or None


def check_config(kind: str, options: dict[str, Any], where: str) -> dict[str, Any]:
    """The stored config for a kind, as that kind's registry entry checks it."""
    return registry.get(kind, where=where).config(options, where)


def add_target(
    actor: User, project: str | Project, name: str, kind: str, **options: Any
) -> TargetValue:
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_TARGETS)
    where = f"project {project.name}, target {name}"
    if not NAME_RE.fullmatch(name or ""):
        raise InvalidInput("target names use a-z, 0-9 and '-' (at most 63)", where=where)
    if name == "all":
        raise InvalidInput("'all' means every target; choose another name", where=where)
    config = check_config(kind, options, where)
    if config.get("credentials"):  # the keys must be there now, not at the first publish
        require(actor, project.organization, Action.MANAGE_INTEGRATIONS)
        _integration_keys(project, config["credentials"])
    with database.atomic():
        if (
            DeployTarget.select()
            .where((DeployTarget.project == project) & (DeployTarget.name == name))
            .exists()
        ):
            raise Conflict("a target of that name exists", where=where)
        target = DeployTarget.create(
            project=project, name=name, kind=TargetKind(kind), config=config
        )
        audit.record(
            actor,
            project.organization,
            "target.add",
            "deploy_target",
            target.id,
            {"project": project.name, "name": name, "kind": kind},
        )
    return target_value(target)


def update_target(actor: User, project: str | Project, name: str, **options: Any) -> TargetValue:
    """Replaces a target's options (its kind and name stay); checked as `add_target` checks them."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_TARGETS)
    target = get_target(project, name)
    where = f"project {project.name}, target {name}"
    config = check_config(str(target.kind), options, where)
    if config.get("credentials"):
        require(actor, project.organization, Action.MANAGE_INTEGRATIONS)
        _integration_keys(project, config["credentials"])
    if config == (target.config or {}):
        return target_value(target)
    changed = sorted(
        k
        for k in set(config) | set(target.config or {})
        if config.get(k) != (target.config or {}).get(k)
    )
    with database.atomic():
        target.config = config
        target.save(only=[DeployTarget.config])
        audit.record(
            actor,
            project.organization,
            "target.update",
            "deploy_target",
            target.id,
            {"project": project.name, "name": name, "options": changed},
        )
    return target_value(target)


def remove_target(actor: User, project: str | Project, name: str) -> None:
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_TARGETS)
    target = get_target(project, name)
    with database.atomic():
        audit.record(
            actor,
            project.organization,
            "target.remove",
            "deploy_target",
            target.id,
            {"project": project.name, "name": name},
        )
        target.delete_instance()


def get_target(project: Project, name: str) -> DeployTarget:
    target = DeployTarget.get_or_none(
        (DeployTarget.project == project) & (DeployTarget.name == name)
    )
    if target is None:
        raise NotFound(
            f"no target {name!r} (see 'bgpub target list {project.name}')",
            where=f"project {project.name}",
        )
    return target


def project_targets(project: Project) -> list[DeployTarget]:
    return list(
        DeployTarget.select()
        .where(DeployTarget.project == project)
        .order_by(DeployTarget.created_at, DeployTarget.name)
    )


def _ensure_default_target(project: Project, workspace: Path | None = None) -> DeployTarget:
    """The dir target in the workspace that a project without targets publishes to."""
    existing = DeployTarget.get_or_none(
        (DeployTarget.project == project) & (DeployTarget.name == DEFAULT_NAME)
    )
    if existing is not None:
        return existing
    path = str(default_site_path(project, workspace))
    return DeployTarget.create(
        project=project, name=DEFAULT_NAME, kind=TargetKind.DIR, config={"path": path}
    )


def choose_targets(
    project: Project,
    name: str | None,
    workspace: Path | None = None,
    *,
    create_default: bool = True,
) -> list[DeployTarget]:
    """`all`: every target; a name: that one; none: the only (or first added) target, else the default."""
    targets = project_targets(project)
    if name not in (None, "all"):
        if name == DEFAULT_NAME and not targets and create_default:
            return [_ensure_default_target(project, workspace)]
        return [get_target(project, name)]
    if not targets:
        if not create_default:
            path = str(default_site_path(project, workspace))
            return [
                DeployTarget(
                    project=project, name=DEFAULT_NAME, kind=TargetKind.DIR, config={"path": path}
                )
            ]
        return [_ensure_default_target(project, workspace)]
    return targets if name == "all" else targets[:1]


def live_versions(project: Project) -> dict[str, int]:
    """Target name -> number of the version its last successful deployment put live; only targets that
    still exist (removing a target sets its deployments' `target` to NULL)."""
    from bgpub.db.models import Version

    rows = tuple_rows(
        Deployment.select(Deployment.target_name, Version.number, Deployment.finished_at)
        .join(Version)
        .where(
            (Deployment.project == project)
            & (Deployment.status == DeploymentStatus.SUCCEEDED)
            & Deployment.target.is_null(False)
        )
        .order_by(Deployment.finished_at, Deployment.id)
    )
    live: dict[str, int] = {}
    for target_name, number, _ in rows:
        live[target_name] = number
    return live


def shown_config(config: dict[str, Any]) -> dict[str, Any]:
    """A target's config as people may see it: an integration holding keys is named, its keys masked."""
    from bgpub.publish.targets.credentials import MASK

    shown = dict(config)
    if shown.get("credentials"):
        shown["credentials"] = {
            "integration": str(shown["credentials"]),
            **{key: MASK for key in KEY_NAMES},
        }
    return shown


def show_target(
    actor: User, project: str | Project, name: str, workspace: Path | None = None
) -> TargetView:
    """`bgpub target show`: one target's kind, place, config (keys masked), live version and base URL."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    target = get_target(project, name)
    return TargetView(
        target.name,
        str(target.kind),
        open_target(target, workspace).location,
        shown_config(target.config or {}),
        live_versions(project).get(target.name),
        site_address(project, target).base_url,
    )


def list_targets(
    actor: User, project: str | Project, workspace: Path | None = None
) -> list[TargetView]:
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    live = live_versions(project)
    views = []
    for target in project_targets(project):
        location = open_target(target, workspace).location
        views.append(
            TargetView(
                target.name,
                str(target.kind),
                location,
                shown_config(target.config or {}),
                live.get(target.name),
                site_address(project, target).base_url,
            )
        )
    return views


# -- public addresses ---------------------------------------------------------------------------
NO_BASE_URL = (
    "no base URL is known, so sitemap.xml, canonical links and og:url are relative (search engines "
    "reject relative sitemaps); set a custom domain ('bgpub project set {project} --domain "
    "www.example.com') or give the target one ('--base-url')"
)


def sites_domain() -> str:
    """The domain under which projects' subdomains live (`sites.domain` in the workspace config, or
    BGPUB_SITES_DOMAIN): subdomain `shop` becomes https://shop.<domain>."""
    return str(
        os.environ.get("BGPUB_SITES_DOMAIN") or read_config_file().get("sites.domain") or ""
    ).strip(". ")


def site_address(project: Project, target: DeployTarget) -> SiteAddress:
    """The target's own base URL, else the project's (setting, custom domain, subdomain), else the
    address the host gives the site (GitHub Pages, a bucket website), else none."""
    config = target.config or {}
    if config.get("base_url"):
        return SiteAddress(str(config["base_url"]), f"target {target.name}")
    setting = (project.settings or {}).get("base_url")
    if setting:
        return SiteAddress(str(setting).rstrip("/"), "the project's base_url setting")
    if project.custom_domain:
        return SiteAddress(f"https://{project.custom_domain}", "the project's custom domain")
    domain = sites_domain()
    if project.subdomain and domain:
        return SiteAddress(f"https://{project.subdomain}.{domain}", "the project's subdomain")
    hosted = registry.get(str(target.kind)).site_url(config)
    if hosted:
        return SiteAddress(hosted.rstrip("/"), f"the host of target {target.name}")
    return SiteAddress("", "")


def publish_address(project: Project, targets: list[DeployTarget]) -> SiteAddress:
    """The one base URL the chosen targets share; refuses targets serving different URLs."""
    addresses = {t.name: site_address(project, t) for t in targets}
    urls = sorted({a.base_url for a in addresses.values()})
    if len(urls) > 1:
        shown = ", ".join(f"{name} {a.base_url or '(none)'}" for name, a in addresses.items())
        raise InvalidInput(
            f"these targets serve different base URLs ({shown}); publish to one with --target, "
            "then 'bgpub promote' the version to the others",
            where=f"project {project.name}",
        )
    return next(iter(addresses.values())) if addresses else SiteAddress("", "")


def host_files(
    project: Project,
    targets: list[DeployTarget],
    base_url: str,
    redirects: Sequence[tuple[str, str]] = (),
) -> dict[str, bytes]:
    """Files the hosts of these targets read (CNAME, .nojekyll, _headers, _redirects): part of the version."""
    from bgpub.publish.targets.host_rules import headers_file, redirects_file

    context = {"custom_domain": project.custom_domain or "", "base_url": base_url}
    files: dict[str, bytes] = {}
    for target in targets:
        config = target.config or {}
        files.update(registry.get(str(target.kind)).host_files(config, context))
        if config.get("host_rules"):
            files["_headers"] = headers_file(page_sources(project))
            files["_redirects"] = redirects_file(redirects)
    return files


def page_sources(project: Project) -> dict[str, list[str]]:
    """The CSP sources the project's pages need: its collector's beacon and its enabled analytics."""
    from bgpub.render.beacon import policy_sources
    from bgpub.services.analytics_snippets import analytics_of
    from bgpub.services.collector_sites import COLLECTOR_SETTING

    url = (project.settings or {}).get(COLLECTOR_SETTING)
    collector = {"url": url, "project": project.id} if url else {}  # as builds put it in pages
    return policy_sources({**collector, "analytics": analytics_of(project)})


# -- deployed state and checks --------------------------------------------------------------------
def deployed_state(target: DeployTarget) -> DeployedState:
    """Read before a deploy starts: trusts the last manifest only if the last deployment succeeded."""
    from bgpub.db.models import Version

    if target.id is None:
        return DeployedState(None, None)
    last = (
        Deployment.select(Deployment.status, Version.manifest)
        .join(Version)
        .where(Deployment.target == target)
        .order_by(Deployment.started_at.desc(), Deployment.id.desc())
        .tuples()
        .first()
    )
    ref = (
        Deployment.select(Deployment.remote_ref)
        .where((Deployment.target == target) & Deployment.remote_ref.is_null(False))
        .order_by(Deployment.started_at.desc(), Deployment.id.desc())
        .scalar()
    )
    manifest = last[1] if last is not None and last[0] == DeploymentStatus.SUCCEEDED else None
    return DeployedState(manifest, ref)


def unknown_state_warnings(targets: list[DeployTarget]) -> list[str]:
    """For a dry run: targets whose last deployment did not finish, so the diff against the version
    last live there may not be what the deploy finds (it compares with the target itself)."""
    warnings = []
    for target in targets:
        if target.id is None:
            continue
        last = (
            Deployment.select(Deployment.status)
            .where(Deployment.target == target)
            .order_by(Deployment.started_at.desc(), Deployment.id.desc())
            .scalar()
        )
        if last is not None and last != DeploymentStatus.SUCCEEDED:
            warnings.append(
                f"target {target.name}: its last deployment did not finish, so what is there is not "
                "known; the list is against the version last live there, and the deploy compares "
                "with the target itself (a listing) and sends whatever differs"
            )
    return warnings


def check_target(
    actor: User, project: str | Project, name: str, workspace: Path | None = None
) -> TargetCheck:
    """`bgpub target test`: reachability and permissions, without publishing anything."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.PUBLISH)
    target = get_target(project, name)
    handle = open_target(target, workspace)
    probe = getattr(handle, "probe", None)
    checks = probe() if probe is not None else []
    address = site_address(project, target)
    warnings = [] if address.base_url else [NO_BASE_URL.format(project=project.name)]
    if address.base_url:
        checks.append(f"publishes for {address.base_url} ({address.source})")
    return TargetCheck(str(target.kind), handle.location, checks, warnings)
