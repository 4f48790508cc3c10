"""Publishing: snapshot -> incremental render -> Version + blobs -> deploy -> verify -> Deployment rows.

A render error records nothing. The Version (and the blobs its manifest names, stored first) is
committed before any target is touched, so a failed or killed deploy keeps the version and the next
publish or rollback can put it live. Each target gets its own Deployment row, committed as RUNNING
before the deploy starts; rows a killed process left RUNNING are closed as interrupted by the next
publish, which holds the project's lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from peewee import Database, PeeweeException, fn

from bgpub.config import workspace_dir
from bgpub.db.connection import connection_usable, database, is_postgres, reconnect
from bgpub.db.enums import DeploymentStatus, ProjectStatus
from bgpub.db.fields import utcnow
from bgpub.db.models import Deployment, DeployTarget, Page, Project, User, Version
from bgpub.db.rows import tuple_rows
from bgpub.domain.progress import Progress, Step
from bgpub.domain.versions import DeploymentResult as DeploymentResult
from bgpub.domain.versions import PublishResult as PublishResult
from bgpub.errors import BgpubError, Conflict, DatabaseUnavailable, NotFound, database_fault
from bgpub.publish.build import SiteBuild
from bgpub.publish.crashpoints import crashpoint
from bgpub.publish.folder import read_json, write_json_atomic
from bgpub.publish.history import page_bytes, page_hash, record_hashes, snapshot_record
from bgpub.publish.locking import HeldLock, advisory_lock, file_lock
from bgpub.publish.manifest import diff_manifests, manifest_bytes, manifest_hashes
from bgpub.publish.targets import DeployRequest
from bgpub.services import audit, blobs, webhooks
from bgpub.services.collector import collector_paused
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.services.snapshots import snapshot_of
from bgpub.services.target_builds import build_for_targets
from bgpub.services.targets import (
    choose_targets,
    deployed_state,
    live_versions,
    open_target,
    project_dir,
    unknown_state_warnings,
)
from bgpub.snapshot import ProjectSnapshot


# -- locks ------------------------------------------------------------------------------------------
def _side_connection() -> Database:
    """A second connection to the same database, for a session lock that outlives transactions."""
    db = database.obj
    other: Database = type(db)(db.database, **db.connect_params)
    other.connect()
    return other


@contextmanager
def _acquire(
    name: str, busy: str, shared: bool, where: str | None, label: str | None
) -> Iterator[HeldLock]:
    if is_postgres():
        side = _side_connection()
        try:
            raw = side.connection()  # type: ignore[no-untyped-call]  # peewee stubs: Database.connection is untyped
            with advisory_lock(raw, name, busy, shared=shared, where=where, label=label) as held:
                yield held
        finally:
            try:
                side.close()
            except PeeweeException:  # the server already dropped it (and the lock with it)
                pass
    else:
        folder = Path(database.obj.database).resolve().parent / ".bgpub-locks"
        with file_lock(
            folder / f"{name.replace(':', '-')}.lock", busy, shared=shared, where=where, label=label
        ) as held:
            yield held


@contextmanager
def named_lock(
    name: str,
    busy: str,
    *,
    shared: bool = False,
    wait: float = 0.0,
    where: str | None = None,
    label: str | None = None,
) -> Iterator[HeldLock]:
    """A lock shared by every process using this database (advisory lock or flock beside the file)."""
    deadline = time.monotonic() + wait
    with ExitStack() as stack:
        while True:
            try:
                held = stack.enter_context(_acquire(name, busy, shared, where, label))
                break
            except Conflict:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.1)
        yield held


def project_lock(project: Project) -> Any:
    """The one-publish lock of a project; `check()` on what it yields proves it is still held."""
    busy = f"another publish, rollback or prune of project {project.name} is running; try again when it ends"
    return named_lock(
        f"publish:{project.id}", busy, where=f"project {project.name}", label="publish lock"
    )


def blob_store_lock(*, shared: bool) -> Any:
    """Publishes share it while they rely on blobs being present; a prune takes it alone."""
    busy = "the blob store is being pruned" if shared else "publishes are storing blobs"
    return named_lock("blob-store", busy, shared=shared, wait=60.0, where="blob store")


# -- helpers ----------------------------------------------------------------------------------------
def _stage(progress: Progress | None, name: str) -> None:
    if progress:
        progress(Step(name))


def close_interrupted(project: Project, workspace: Path) -> None:
    """Deployments a killed process left RUNNING (we hold the lock, so none is really running): those
    whose target shows the version live (a dir swapped after verifying) succeeded, the rest failed."""
    stuck = (
        Deployment.select(Deployment, Version.number)
        .join(Version)
        .switch(Deployment)
        .where(
            (Deployment.project == project)
            & (Deployment.status.in_([DeploymentStatus.RUNNING, DeploymentStatus.PENDING]))
        )
    )
    for row in stuck:
        live = None
        if row.target_id is not None:
            try:
                assert row.target is not None  # target_id is set
                live = getattr(open_target(row.target, workspace), "live_version", lambda: None)()
            except (BgpubError, OSError):
                live = None
        done = live is not None and live == row.version.number
        Deployment.update(
            status=DeploymentStatus.SUCCEEDED if done else DeploymentStatus.FAILED,
            finished_at=utcnow(),
            error=None if done else "interrupted: the publishing process stopped before finishing",
        ).where(Deployment.id == row.id).execute()


def _page_stamps(project: Project) -> dict[str, str]:
    """Each page's id, revision and last save: while all three stand, so does the page's recorded hash."""
    rows = tuple_rows(
        Page.select(Page.slug, Page.id, Page.revision, Page.updated_at.cast("text")).where(
            Page.project == project
        )
    )
    return {slug: f"{pid}:{revision}@{updated}" for slug, pid, revision, updated in rows}


def _page_hashes(
    snapshot: ProjectSnapshot, stamps: dict[str, str] | None, cache: dict[str, Any]
) -> tuple[list[str], dict[str, bytes], dict[str, Any]]:
    """The blob hash of every page's JSON, serialising only pages saved since the last publish.

    A page's stamp is its `source_token` (the stored row's identity, revision and last save) or, for
    snapshots without one, what `stamps` says (`_page_stamps`)."""
    hashes, payload, fresh = [], {}, {}
    for page in snapshot.pages:
        stamp = getattr(page, "source_token", None)
        if stamp is None and stamps is not None:
            stamp = stamps.get(page.slug)
        known = cache.get(page.slug)
        if stamp is not None and isinstance(known, list) and known[0] == stamp:
            sha = known[1]
        else:
            sha, data = page_hash(page)
            payload[sha] = data
        hashes.append(sha)
        if stamp is not None:
            fresh[page.slug] = [stamp, sha]
    return hashes, payload, fresh


def live_manifests(
    project: Project, targets: list[DeployTarget], known: Version | None
) -> dict[str, dict[str, Any] | None]:
    """The manifest live on each target (from its last successful deployment); `known` (a version
    already loaded, usually the newest) is reused rather than read again."""
    live = live_versions(project)
    loaded: dict[int, dict[str, Any]] = {known.number: known.manifest} if known is not None else {}
    result: dict[str, dict[str, Any] | None] = {}
    for t in targets:
        number = live.get(t.name)
        if number is not None and number not in loaded:
            loaded[number] = (
                Version.select(Version.manifest)
                .where((Version.project == project) & (Version.number == number))
                .scalar()
            )
        result[t.name] = loaded.get(number) if number is not None else None
    return result


def fetcher(site: SiteBuild | None) -> Callable[[Iterable[str]], dict[str, bytes]]:
    """Bytes by hash: from the fresh render when it has them, else from the blob store."""
    local = {}
    if site is not None:
        local = {entry[0]: path for path, entry in site.manifest.items()}

    def fetch(hashes: Iterable[str]) -> dict[str, bytes]:
        wanted = set(hashes)
        found = (
            {sha: site.files[local[sha]] for sha in wanted if sha in local}
            if site is not None
            else {}
        )
        rest = wanted - set(found)
        if rest:
            found.update(blobs.get_many(rest))
        return found

    return fetch


def _switch_check(
    project: Project, lock: HeldLock | None, stopped: list[BgpubError]
) -> Callable[[], None]:
    """What a target runs right before going live: the publish lock is still held and the database
    still answers (so the outcome can be recorded); otherwise the deploy stops there."""

    def check() -> None:
        try:
            if lock is not None:
                lock.check()
            try:
                database.execute_sql("SELECT 1")
            except PeeweeException as exc:
                detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise DatabaseUnavailable(
                    f"lost the connection to the database before going live ({detail}); the live site is"
                    " unchanged. Check that the database server is running, then run the command again",
                    where=f"project {project.name}",
                ) from exc
        except BgpubError as exc:
            stopped.append(exc)
            raise

    return check


def _record(row: Deployment) -> bool:
    """Saves a deployment's outcome; over a connection the server dropped, once more on a new one."""
    try:
        row.save()
        return True
    except PeeweeException:
        if connection_usable():  # locked or refused, not lost: a new connection would not help
            return False
    try:
        reconnect()
        row.save()
        return True
    except (PeeweeException, BgpubError):
        return False


def deploy_version(
    actor: User,
    project: Project,
    version: Version,
    target: DeployTarget,
    fetch: Callable[..., Any],
    *,
    rollback: bool = False,
    progress: Progress | None = None,
    workspace: Path | None = None,
    lock: HeldLock | None = None,
) -> DeploymentResult:
    """Deploys one version to one target and records the outcome; never raises for a deploy failure.

    It does raise, after marking the deployment failed, when the publish cannot safely go on: the
    `lock` or the database connection was lost before going live, or the database failed mid-deploy."""
    started = time.perf_counter()
    state = deployed_state(target)  # before this deployment's own row exists
    row = Deployment.create(
        project=project,
        version=version,
        target=target,
        target_name=target.name,
        actor=actor,
        status=DeploymentStatus.RUNNING,
        is_rollback=rollback,
    )
    crashpoint("deployment-started")
    if rollback:
        message = f"Roll back to version {version.number}" + (
            f": {version.message}" if version.message else ""
        )
    else:
        message = version.message or f"Publish version {version.number}"
    stopped: list[BgpubError] = []
    request = DeployRequest(
        version.number,
        version.manifest,
        message,
        actor.name or actor.email,
        actor.email,
        before_switch=_switch_check(project, lock, stopped),
        previous=state.manifest,
        previous_ref=state.remote_ref,
        base_url=getattr(version, "base_url", None) or "",
    )
    location, remote_ref = "", None
    try:
        handle = open_target(target, workspace)
        location = handle.location

        def report(step: Step) -> None:  # a target reports its steps without knowing its own name
            if progress:
                progress(replace(step, target=target.name))

        outcome = handle.deploy(request, fetch, report)
        status = DeploymentStatus.SUCCEEDED if outcome.ok else DeploymentStatus.FAILED
        error = None if outcome.ok else outcome.error_text()
        files, sent, location = outcome.files_sent, outcome.bytes_sent, outcome.location or location
        remote_ref = outcome.remote_ref or None
    except BgpubError as exc:
        status, error, files, sent = DeploymentStatus.FAILED, str(exc), 0, 0
    except OSError as exc:
        status, error, files, sent = (
            DeploymentStatus.FAILED,
            f"{location or target.name}: {exc}",
            0,
            0,
        )
    except (
        PeeweeException
    ) as exc:  # e.g. the blob store unreadable while fetching: nothing went live
        fault = database_fault(exc) or DatabaseUnavailable(str(exc), where="database")
        stopped.append(fault)
        status, error, files, sent = DeploymentStatus.FAILED, str(fault), 0, 0
    crashpoint("deployment-finished")
    row.status, row.error, row.files_sent, row.bytes_sent = status, error, files, sent
    row.remote_ref = remote_ref
    row.finished_at = utcnow()
    recorded = _record(row)
    if stopped:
        reason = stopped[0]
        if recorded:
            raise reason
        raise type(reason)(
            f"{reason.message}; the deployment could not be marked failed now, the next"
            " publish or rollback does it",
            where=reason.where,
        )
    if not recorded:
        raise DatabaseUnavailable(
            f"the deploy to target {target.name} ended ({status.value}) but the database could not record it;"
            " the next publish or rollback records it",
            where=f"project {project.name}",
        )
    return DeploymentResult(
        target.name,
        str(target.kind),
        status.value,
        files,
        sent,
        round(time.perf_counter() - started, 4),
        error,
        location,
    )


def announce(
    actor: User, project: Project, version: Version, result: PublishResult, event: str
) -> None:
    """Project status, the audit row and the webhooks, after the deployments are recorded."""
    succeeded = any(d.status == DeploymentStatus.SUCCEEDED for d in result.deployments)
    with database.atomic():
        if succeeded:
            Project.update(status=ProjectStatus.PUBLISHED, published_at=utcnow()).where(
                Project.id == project.id
            ).execute()
        audit.record(
            actor,
            project.organization,
            f"project.{event}",
            "version",
            version.id,
            {
                "project": project.name,
                "version": version.number,
                "targets": {d.target: d.status for d in result.deployments},
            },
        )
    if succeeded:
        webhooks.notify(
            project,
            event,
            {
                "event": event,
                "project": project.name,
                "organization": project.organization.slug,
                "version": version.number,
                "message": version.message,
                "actor": actor.email,
                "deployments": [
                    {"target": d.target, "status": d.status, "location": d.location}
                    for d in result.deployments
                ],
            },
        )


# -- operations -------------------------------------------------------------------------------------
def publish_project(
    actor: User,
    project: str | Project,
    *,
    target: str | None = None,
    message: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
    workspace: Path | None = None,
) -> PublishResult:
    """Takes the project live as a new version on its target(s); `dry_run` only reports the diff."""
    started = time.perf_counter()
    project = find_project(actor, project)
    require(actor, project.organization, Action.PUBLISH)
    workspace = workspace or workspace_dir()
    with project_lock(project) as lock, collector_paused():
        targets = choose_targets(project, target, workspace, create_default=not dry_run)
        if not dry_run:
            close_interrupted(project, workspace)
        _stage(progress, "snapshot")
        snapshot = snapshot_of(project)  # its pages carry stamps (source_token) read with them
        stamps = (
            None
            if all(getattr(p, "source_token", None) for p in snapshot.pages)
            else _page_stamps(project)
        )
        # the newest version (read once: a 10,000-page record is megabytes of JSON), for the redirects
        # of renamed pages, the diff and the blobs already stored
        previous = (
            Version.select(Version.number, Version.manifest, Version.snapshot)
            .where(Version.project == project)
            .order_by(Version.number.desc())
            .first()
        )
        _stage(progress, "render")
        built = build_for_targets(project, targets, snapshot, workspace, previous=previous)
        site = built.site
        result = PublishResult(
            project.name,
            None,
            dry_run=dry_run,
            pages=len(snapshot.pages),
            files=len(site.manifest),
            bytes=manifest_bytes(site.manifest),
            rendered=len(site.rendered),
            base_url=built.base_url,
            warnings=built.warnings,
        )
        for name, live in live_manifests(project, targets, previous).items():
            result.diff[name] = diff_manifests(live, site.manifest).as_dict()
        if dry_run:
            result.warnings += unknown_state_warnings(targets)
            result.seconds = round(time.perf_counter() - started, 4)
            return result
        _stage(progress, "store")
        cache_path = project_dir(project, workspace) / "pages.json"
        page_hashes, page_payload, page_cache = _page_hashes(
            snapshot, stamps, read_json(cache_path) or {}
        )
        record = snapshot_record(snapshot, page_hashes)
        known = (
            (manifest_hashes(previous.manifest) | record_hashes(previous.snapshot))
            if previous
            else set()
        )
        with blob_store_lock(shared=True):
            candidates = (manifest_hashes(site.manifest) | set(page_hashes)) - known
            missing = candidates - blobs.has_many(candidates)
            payload = site.bytes_by_hash(missing)
            for page, sha in zip(snapshot.pages, page_hashes, strict=True):
                if sha in missing and sha not in payload:
                    payload[sha] = page_payload.get(sha) or page_bytes(page)
            blobs.put_many(payload, verify=False, absent=True)  # `missing` was just asked
            result.new_blobs, result.new_blob_bytes = len(payload), sum(map(len, payload.values()))
            crashpoint("blobs-stored")
            with database.atomic():
                number = (
                    Version.select(fn.MAX(Version.number))
                    .where(Version.project == project)
                    .scalar()
                    or 0
                ) + 1
                version = Version.create(
                    project=project,
                    number=number,
                    author=actor,
                    message=message,
                    snapshot=record,
                    manifest=site.manifest,
                    page_count=len(snapshot.pages),
                    file_count=len(site.manifest),
                    total_bytes=result.bytes,
                    base_url=built.base_url,
                )
        write_json_atomic(cache_path, page_cache)
        result.version = number
        crashpoint("version-recorded")
        fetch = fetcher(site)
        for t in targets:
            result.deployments.append(
                deploy_version(
                    actor,
                    project,
                    version,
                    t,
                    fetch,
                    progress=progress,
                    workspace=workspace,
                    lock=lock,
                )
            )
        announce(actor, project, version, result, "publish")
        # A big site's snapshot and render are millions of objects the cyclic collector never saw (it is
        # paused): freed here by reference counting, or its first pass once resumed walks them all (~0.2 s
        # of a 10,000-page publish).
        del snapshot, built, site, fetch, page_payload, payload, record, version, previous
    result.seconds = round(time.perf_counter() - started, 4)
    return result


def rollback_project(
    actor: User,
    project: str | Project,
    number: int,
    *,
    target: str | None = None,
    progress: Progress | None = None,
    workspace: Path | None = None,
) -> PublishResult:
    """Puts an earlier version's exact bytes (from the blob store) live again, as a new Deployment."""
    started = time.perf_counter()
    project = find_project(actor, project)
    require(actor, project.organization, Action.PUBLISH)
    workspace = workspace or workspace_dir()
    with project_lock(project) as lock, collector_paused():
        version = deployable_version(project, number)
        targets = choose_targets(project, target, workspace)
        close_interrupted(project, workspace)
        result = PublishResult(
            project.name,
            number,
            rollback=True,
            pages=version.page_count,
            files=version.file_count,
            bytes=version.total_bytes,
        )
        for name, live in live_manifests(project, targets, version).items():
            result.diff[name] = diff_manifests(live, version.manifest).as_dict()
        fetch = fetcher(None)
        for t in targets:
            result.deployments.append(
                deploy_version(
                    actor,
                    project,
                    version,
                    t,
                    fetch,
                    rollback=True,
                    progress=progress,
                    workspace=workspace,
                    lock=lock,
                )
            )
        announce(actor, project, version, result, "rollback")
    result.seconds = round(time.perf_counter() - started, 4)
    return result


def deployable_version(project: Project, number: int) -> Version:
    """Version `number` of `project` with what a rollback or promotion deploys: the manifest is all
    they need, so the snapshot record (as big) is not read."""
    version: Version | None = (
        Version.select(
            Version.id,
            Version.project,
            Version.number,
            Version.message,
            Version.manifest,
            Version.page_count,
            Version.file_count,
            Version.total_bytes,
            Version.base_url,
        )
        .where((Version.project == project) & (Version.number == number))
        .first()
    )
    if version is None:
        raise NotFound(
            f"no version {number} (see 'bgpub versions {project.name}')",
            where=f"project {project.name}",
        )
    return version
