"""What `bgpub collect` knows of a project: its public key, the origins its pages come from, its form key.

A published form carries a stamp signed at build with the project's key (HMAC-SHA256 over the project
id and the stamp's day), so the collector accepts only forms a build of that project produced; the
inline script adds how long the visitor had the page open, checked against the minimum fill time.
The stamp's time is the UTC day of the build, so the snapshot (and the incremental build) stays the
same for a day.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets as token_source
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from peewee import IntegrityError

from bgpub.db.connection import database
from bgpub.db.models import CollectorKey, Organization, Project
from bgpub.domain.collector import CollectorSite
from bgpub.errors import InvalidInput, NotFound

DAY = 86400
COLLECTOR_SETTING = "collector_url"  # the user's setting (project.settings)
DERIVED_SETTING = "collector"  # what builds add to the snapshot's settings; never exported


def check_collector_url(value: object, where: str) -> str:
    """An http(s) URL without query or fragment ('' removes it)."""
    if value == "":
        return ""
    parts = urlsplit(value) if isinstance(value, str) else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
    ):
        raise InvalidInput(
            f"invalid collector URL {value!r}: expected http(s)://host[:port][/path]",
            where=where,
            field=COLLECTOR_SETTING,
        )
    return str(value).rstrip("/")


def origin_of(url: str) -> str | None:
    """`https://Example.com:443/x` -> `https://example.com`; None if not an http(s) URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def project_origins(project: Project) -> frozenset[str]:
    """Origins of the base URL and the custom domain (both schemes for a bare domain)."""
    found: set[str] = set()
    base = (project.settings or {}).get("base_url")
    if isinstance(base, str) and base:
        origin = origin_of(base)
        if origin:
            found.add(origin)
    if project.custom_domain:
        found |= {f"https://{project.custom_domain}", f"http://{project.custom_domain}"}
    return frozenset(found)


def form_key(project: Project) -> str:
    """The project's HMAC key, created on first use (two racing builds agree: the unique row wins)."""
    row = CollectorKey.get_or_none(CollectorKey.project == project.id)
    if row is not None:
        return row.secret
    try:
        with database.atomic():
            CollectorKey.create(project=project.id, secret=token_source.token_hex(32))
    except IntegrityError:
        pass
    return CollectorKey.get(CollectorKey.project == project.id).secret


def sign_stamp(secret: str, project_id: str, issued: int) -> str:
    mac = hmac.new(secret.encode(), f"{project_id}|{issued}".encode(), hashlib.sha256).hexdigest()[
        :32
    ]
    return f"{issued}.{mac}"


def stamp_issued(secret: str, project_id: str, stamp: object) -> int | None:
    """The stamp's issue time if it is one of this project's; None otherwise."""
    if not isinstance(stamp, str) or stamp.count(".") != 1:
        return None
    issued, _, _ = stamp.partition(".")
    if not issued.isdigit() or len(issued) > 12:
        return None
    return (
        int(issued)
        if hmac.compare_digest(sign_stamp(secret, project_id, int(issued)), stamp)
        else None
    )


def build_day(now: datetime | None = None) -> int:
    moment = now or datetime.now(UTC)
    return int(moment.timestamp()) // DAY * DAY


def _sells_with_stripe(project: Project) -> bool:
    """The project has an enabled Stripe integration: the collector's /checkout can take payments."""
    from bgpub.db.enums import IntegrationType
    from bgpub.db.models import Integration

    return (
        Integration.select()
        .where(
            (Integration.project == project.id)
            & (Integration.type == IntegrationType.STRIPE)
            & Integration.enabled
        )
        .exists()
    )


def derived_settings(project: Project, settings: dict[str, Any]) -> dict[str, Any]:
    """Settings as builds see them: with a collector URL, `collector` = {url, project, stamp} for the
    form components and the page-view beacon; with enabled analytics integrations, `collector.analytics`
    lists their snippets; with neither, unchanged."""
    from bgpub.services.analytics_snippets import analytics_of

    url = settings.get(COLLECTOR_SETTING)
    settings.pop(DERIVED_SETTING, None)
    derived: dict[str, Any] = {}
    if url:
        stamp = sign_stamp(form_key(project), project.id, build_day())
        derived = {"url": url, "project": project.id, "stamp": stamp}
        if _sells_with_stripe(project):  # buy buttons post to {url}/checkout
            derived["checkout"] = True
    analytics = analytics_of(project)
    if analytics:
        derived["analytics"] = analytics
    return {**settings, DERIVED_SETTING: derived} if derived else settings


def find_site(ref: str) -> CollectorSite:
    """A project by its id (what published pages use) or `org/name`; a bare name only when unique."""
    where = f"project {ref}"
    if not isinstance(ref, str) or not ref or len(ref) > 200:
        raise NotFound("no such project", where="project")
    query = Project.select(Project, Organization).join(Organization)
    if "/" in ref:
        org, _, name = ref.partition("/")
        rows = list(query.where((Organization.slug == org) & (Project.name == name)))
    else:
        rows = list(query.where(Project.id == ref)) or list(
            query.where(Project.name == ref).limit(2)
        )
    if len(rows) != 1:
        raise NotFound(
            "no such project" if not rows else "ambiguous project name; use its id", where=where
        )
    project = rows[0]
    return CollectorSite(
        id=project.id,
        name=project.name,
        organization=project.organization.slug,
        origins=project_origins(project),
        secret=form_key(project),
        collector_url=str((project.settings or {}).get(COLLECTOR_SETTING) or ""),
    )


def database_ready() -> bool:
    """True when the database answers a query (the collector's readiness)."""
    try:
        database.execute_sql("SELECT 1").fetchone()
        return True
    except Exception:  # driver errors differ per backend; not ready is the answer
        forget_connection()
        return False


def forget_connection() -> None:
    """Drops this thread's connection (the server dropped it, or the database restarted): the next
    query opens a new one."""
    try:
        database.close()
    except Exception:  # closing a broken connection may fail; Peewee forgets it either way
        pass
