"""Promotion: a version already published (to staging, say) deployed to another target, byte for byte.

Nothing is rendered again: the target gets the version's recorded manifest and stored bytes, so what
goes to production is exactly what was checked on staging. A version rendered for another base URL
keeps that URL in its canonical links and sitemap, and a version lacking a file the target's host
reads (CNAME...) stays without it; both are said as warnings, not changed.
"""

from __future__ import annotations

import time
from pathlib import Path

from bgpub.config import workspace_dir
from bgpub.db.models import DeployTarget, Project, User, Version
from bgpub.domain.progress import Progress
from bgpub.errors import InvalidInput
from bgpub.publish.manifest import diff_manifests
from bgpub.publish.targets import registry
from bgpub.services.collector import collector_paused
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.services.publishing import (
    PublishResult,
    announce,
    close_interrupted,
    deploy_version,
    deployable_version,
    fetcher,
    live_manifests,
    project_lock,
)
from bgpub.services.targets import get_target, site_address


def promote_version(
    actor: User,
    project: str | Project,
    number: int,
    *,
    to: str,
    progress: Progress | None = None,
    workspace: Path | None = None,
) -> PublishResult:
    """Deploys version `number` of the project, as recorded, to the target named `to`."""
    started = time.perf_counter()
    project = find_project(actor, project)
    require(actor, project.organization, Action.PUBLISH)
    workspace = workspace or workspace_dir()
    if not to or to == "all":
        raise InvalidInput("name the one target to promote to (--to production)", where="--to")
    with project_lock(project) as lock, collector_paused():
        version = deployable_version(project, number)
        target = get_target(project, to)
        close_interrupted(project, workspace)
        result = PublishResult(
            project.name,
            number,
            pages=version.page_count,
            files=version.file_count,
            bytes=version.total_bytes,
            base_url=version.base_url,
        )
        result.warnings = promotion_warnings(project, version, target)
        for name, live in live_manifests(project, [target], version).items():
            result.diff[name] = diff_manifests(live, version.manifest).as_dict()
        result.deployments.append(
            deploy_version(
                actor,
                project,
                version,
                target,
                fetcher(None),
                progress=progress,
                workspace=workspace,
                lock=lock,
            )
        )
        announce(actor, project, version, result, "promote")
    result.seconds = round(time.perf_counter() - started, 4)
    return result


def promotion_warnings(project: Project, version: Version, target: DeployTarget) -> list[str]:
    """What the exact bytes will get wrong on this target: another base URL, host files missing."""
    warnings = []
    address = site_address(project, target)
    if address.base_url != version.base_url:
        warnings.append(
            f"version {version.number} was rendered for {version.base_url or 'no base URL'} and target "
            f"{target.name} serves {address.base_url or 'no base URL'}: its canonical links, sitemap and "
            f"og:url keep the first; publish with --target {target.name} to render for it"
        )
    wanted = registry.get(str(target.kind)).host_files(
        target.config or {},
        {"custom_domain": project.custom_domain or "", "base_url": address.base_url},
    )
    if (target.config or {}).get("host_rules"):
        wanted = {**wanted, "_headers": b"", "_redirects": b""}
    missing = sorted(set(wanted) - set(version.manifest))
    if missing:
        warnings.append(
            f"version {version.number} has no {', '.join(missing)}, which the host of target "
            f"{target.name} reads; publish with --target {target.name} to add them"
        )
    return warnings
