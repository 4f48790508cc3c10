"""The site a publish renders for its targets: their shared base URL and the files their hosts read.

The base URL (a target's own, else the project's custom domain or subdomain, else the host's own
address) goes into canonical links, the sitemap and og:url, so each distinct base URL keeps its own
incremental render cache. Host files (CNAME, .nojekyll, _headers, _redirects) join the rendered
files before the version is recorded: they are published, verified and rolled back like pages.
"""

from __future__ import annotations

import hashlib
import json
from collections import ChainMap
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from bgpub.db.models import DeployTarget, Project, Version
from bgpub.publish.build import SiteBuild, SiteBuilder
from bgpub.publish.history import page_bytes, record_page_hashes
from bgpub.publish.manifest import digest
from bgpub.publish.targets import registry
from bgpub.publish.targets.host_rules import parse_redirects, redirect_page, redirects_file
from bgpub.publish.targets.objects import REDIRECTS, redirect_path
from bgpub.render import BuildInfo
from bgpub.render.environment import base_path
from bgpub.services import blobs, posts
from bgpub.services.library import current_library, current_themes
from bgpub.services.renditions import StoredImages
from bgpub.services.sources import render_workers
from bgpub.services.targets import NO_BASE_URL, host_files, project_dir, publish_address
from bgpub.snapshot import ProjectSnapshot

LOAD = object()  # `previous` not given: read the newest version


@dataclass
class TargetBuild:
    site: SiteBuild
    base_url: str
    warnings: list[str] = field(default_factory=list)


def build_dir(project: Project, base_url: str, workspace: Path | None) -> Path:
    """The render cache of one base URL ('' keeps the folder publishes always used)."""
    root = project_dir(project, workspace)
    if not base_url:
        return root / "build"
    return root / f"build-{hashlib.sha256(base_url.encode()).hexdigest()[:12]}"


def with_files(site: SiteBuild, extra: Mapping[str, bytes]) -> SiteBuild:
    """The site with `extra` files added (or replacing rendered ones of the same path)."""
    if not extra:
        return site
    manifest = dict(site.manifest)
    manifest.update({path: [digest(data), len(data)] for path, data in extra.items()})
    # ChainMap only reads the maps after the first; typeshed asks every map to be mutable
    files = ChainMap(dict(extra), cast("MutableMapping[str, bytes]", site.files))
    rendered = tuple(sorted(set(site.rendered) | set(extra)))
    return SiteBuild(files, {p: manifest[p] for p in sorted(manifest)}, rendered)


def build_for_targets(
    project: Project,
    targets: list[DeployTarget],
    snapshot: ProjectSnapshot,
    workspace: Path | None,
    blob: Callable[[str], bytes] = blobs.get,
    previous: Version | None | object = LOAD,
) -> TargetBuild:
    """Renders the snapshot for the targets' shared base URL and adds their hosts' files; `previous`
    is the newest version (its snapshot record and manifest) when the caller has it loaded already."""
    address = publish_address(project, targets)
    images = StoredImages(project.organization_id)  # encoded images cached in the blob store
    site = SiteBuilder(
        build_dir(project, address.base_url, workspace),
        blob,
        images=images,
        library=current_library(),
        themes=current_themes(),
        workers=render_workers(),
    ).build(snapshot, BuildInfo(base_url=address.base_url, now=posts.build_time()))
    as_objects = any(registry.get(str(t.kind)).object_redirects(t.config or {}) for t in targets)
    rendered = parse_redirects(site.files[REDIRECTS]) if REDIRECTS in site.manifest else []
    renamed = [
        rule
        for rule in renamed_pages(project, snapshot, address.base_url, previous)
        if rule not in rendered
    ]
    # a renamed page keeps its old address working on every host: a page there that moves on, and a
    # `_redirects` line for the hosts that answer 301 from it (issue 12: a slug change broke links)
    redirects = (
        renamed + rendered
        if renamed or as_objects or any((t.config or {}).get("host_rules") for t in targets)
        else []
    )
    warnings = [] if address.base_url else [NO_BASE_URL.format(project=project.name)]
    extra = host_files(project, targets, address.base_url, redirects)
    if redirects and (as_objects or renamed):
        extra.update(redirect_pages(site, redirects, address.base_url, snapshot.language or "en"))
    return TargetBuild(with_files(site, extra), address.base_url, warnings)


def redirect_pages(
    site: SiteBuild, redirects: list[tuple[str, str]], base_url: str, language: str
) -> dict[str, bytes]:
    """`_redirects` and a page at each old address that has none (a renamed page): a target writing
    object redirects sets them on those pages, and a browser reaching one some other way still moves on."""
    rules = sorted(set(redirects))
    files = {REDIRECTS: redirects_file(rules)}
    for old, new in rules:
        path = redirect_path(old, base_url)
        if path is not None and path not in site.manifest:
            files[path] = redirect_page(new, language)
    return files


def _without_slug(data: bytes) -> str:
    page = json.loads(data)
    page.pop("slug", None)
    page.pop("is_home", None)
    return json.dumps(page, sort_keys=True)


def renamed_pages(
    project: Project,
    snapshot: ProjectSnapshot,
    base_url: str,
    previous: Version | None | object = LOAD,
) -> list[tuple[str, str]]:
    """Redirects for `_redirects`: those of the newest version, plus a page whose slug changed since
    then while its content stayed the same (old URL -> new URL). A 10,000-page version's record is
    megabytes of JSON: a caller holding it passes it as `previous` rather than have it read again."""
    if previous is LOAD:
        previous = (
            Version.select(Version.snapshot, Version.manifest)
            .where(Version.project == project)
            .order_by(Version.number.desc())
            .first()
        )
    if not isinstance(previous, Version):  # None: no version yet
        return []
    rules: list[tuple[str, str]] = []
    entry = (previous.manifest or {}).get("_redirects")
    if entry:
        rules += parse_redirects(blobs.get(entry[0]))
    prefix = base_path(base_url)
    old_pages = record_page_hashes(previous.snapshot)
    new_slugs = {page.slug for page in snapshot.pages}
    gone = {slug: sha for slug, sha in old_pages.items() if slug not in new_slugs}
    if not gone:
        return _live_rules(rules, new_slugs, prefix)
    old_bodies = {
        _without_slug(data): slug
        for slug, data in ((slug, blobs.get(sha)) for slug, sha in gone.items())
    }
    for page in snapshot.pages:
        if page.slug in old_pages or page.is_home:
            continue
        old_slug = old_bodies.get(_without_slug(page_bytes(page)))
        if old_slug:
            rules.append((f"{prefix}/{old_slug}/", f"{prefix}/{page.slug}/"))
    return _live_rules(rules, new_slugs, prefix)


def _live_rules(
    rules: list[tuple[str, str]], slugs: set[str], prefix: str
) -> list[tuple[str, str]]:
    """Drops a rule whose old address is a page again (a redirect would hide it)."""
    live = {f"{prefix}/{slug}/" for slug in slugs}
    return [(old, new) for old, new in rules if old not in live]
