"""Page views as the collector records them: cookieless, no address or user agent kept.

A visitor is counted by a hash of the day's random salt, the project, the address and the user agent;
the salt lives one UTC day in `visitor_salts` and older ones are deleted, so nobody (the operator
included) can tell later who visited. Rows arrive in batches and are written with one multi-row
INSERT whose ids were made before the first try, so a retried batch never doubles a row.
"""

from __future__ import annotations

import hashlib
import re
import secrets as token_source
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from peewee import IntegrityError

from bgpub.db.connection import database, is_postgres
from bgpub.db.fields import new_id
from bgpub.db.models import PageView, VisitorSalt
from bgpub.domain.collector import ViewRecord

MAX_PATH = 2000
BOTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|preview|monitor|uptime|"
    r"curl/|wget/|python-requests|python-urllib|httpx|aiohttp|go-http-client|java/|okhttp|libwww|scrapy|"
    r"phantomjs|lighthouse|pingdom|headlesschrome.*\bbot\b",
    re.IGNORECASE,
)
TABLET = re.compile(r"ipad|tablet|kindle|silk/|playbook|(android(?!.*mobile))", re.IGNORECASE)
MOBILE = re.compile(
    r"mobi|iphone|ipod|android|blackberry|opera mini|iemobile|windows phone", re.IGNORECASE
)


def is_bot(user_agent: str) -> bool:
    """Crawlers, link previews, monitors and HTTP libraries (an empty user agent counts as a bot)."""
    return not user_agent.strip() or BOTS.search(user_agent) is not None


def device_class(user_agent: str) -> str:
    if TABLET.search(user_agent):
        return "tablet"
    if MOBILE.search(user_agent):
        return "mobile"
    return "desktop"


def clean_path(url_or_path: str) -> str | None:
    """The path of a page URL or path (query and fragment dropped); None when it is not one."""
    if not isinstance(url_or_path, str) or not url_or_path or len(url_or_path) > 4 * MAX_PATH:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in url_or_path):  # urlsplit would silently drop some
        return None
    try:
        path = urlsplit(url_or_path).path
    except ValueError:
        return None
    if not path.startswith("/") or any(ord(c) < 32 for c in path):
        return None
    return path[:MAX_PATH]


def referrer_host(referrer: str | None, own_host: str | None) -> str | None:
    """The referring host only; None for none, an unparsable one, or the site's own pages."""
    if not referrer:
        return None
    try:
        host = (urlsplit(referrer).hostname or "").lower()
    except ValueError:
        return None
    if not host or host == (own_host or "").lower():
        return None
    return host[:253]


def utm_source(url: str | None) -> str | None:
    if not url:
        return None
    try:
        values = parse_qs(urlsplit(url).query).get("utm_source")
    except ValueError:
        return None
    return values[0][:100] if values and values[0] else None


def day_salt(today: date | None = None) -> str:
    """Today's salt, created by the first collector process that needs it; older salts are deleted."""
    today = today or datetime.now(UTC).date()
    row = VisitorSalt.get_or_none(VisitorSalt.day == today)
    if row is None:
        try:
            with database.atomic():
                VisitorSalt.create(id=new_id(), day=today, salt=token_source.token_hex(32))
        except IntegrityError:
            pass  # another process made it first: use theirs
        row = VisitorSalt.get(VisitorSalt.day == today)
    VisitorSalt.delete().where(VisitorSalt.day < today).execute()
    from bgpub.services.page_view_partitions import ensure_partitions

    ensure_partitions(today)  # once a day per collector process: next months' partitions exist
    return row.salt


def visitor_hash(salt: str, project_id: str, address: str, user_agent: str) -> str:
    data = "\0".join((salt, project_id, address, user_agent)).encode("utf-8", "replace")
    return hashlib.sha256(data).hexdigest()[:32]


def record_views(records: list[ViewRecord], limit: int | None = None) -> set[str]:
    """Stores a batch in one transaction; returns the ids of views refused by the per-client `limit`
    (counted in the same transaction: services.rate_limits). One multi-row INSERT per 500 rows; rows
    already there (a retried batch) are skipped. The statement is written directly (Peewee's query
    builder costs ~0.5 ms a row). On PostgreSQL a month without its partition yet gets one, then the
    batch is tried again."""
    if not records:
        return set()
    try:
        return _insert_views(records, limit)
    except Exception as exc:  # the driver's error: "no partition of relation ... found for row"
        if "no partition" not in str(exc):
            raise
    from bgpub.services.page_view_partitions import ensure_partitions

    ensure_partitions(also=tuple({r.timestamp.date() for r in records}))
    return _insert_views(records, limit)


COLUMNS = (
    "id",
    "project",
    "path",
    "referrer",
    "utm_source",
    "device",
    "session_id",
    "timestamp",
    "country",
)


def _insert_views(records: list[ViewRecord], limit: int | None) -> set[str]:
    from bgpub.services import rate_limits

    fields = PageView._meta.fields
    names = ", ".join(f'"{fields[c].column_name}"' for c in COLUMNS)
    # a partitioned table's unique key holds the partition key (0016); the id alone is unique anyway
    conflict = '"id", "timestamp"' if is_postgres() else '"id"'
    stamp = fields["timestamp"].db_value
    param = database.param
    refused: set[str] = set()
    with database.atomic():
        keyed = [r for r in records if r.rate_key]
        if limit is not None and keyed:
            window = rate_limits.window_of()
            admitted = rate_limits.admit([r.rate_key for r in keyed if r.rate_key], limit, window)
            refused = {r.id for r, ok in zip(keyed, admitted, strict=True) if not ok}
        stored = [r for r in records if r.id not in refused]
        for start in range(0, len(stored), 500):
            chunk = stored[start : start + 500]
            values = ", ".join([f"({', '.join([param] * len(COLUMNS))})"] * len(chunk))
            params: list[Any] = []
            for r in chunk:
                params += [
                    r.id,
                    r.project_id,
                    r.path,
                    r.referrer,
                    r.utm_source,
                    r.device,
                    r.visitor,
                    stamp(r.timestamp),
                    r.country,
                ]
            database.execute_sql(
                f'INSERT INTO "page_views" ({names}) VALUES {values} ON CONFLICT ({conflict}) DO NOTHING',
                params,
            )
    return refused


def new_view_id() -> str:
    """A view's id, fixed when it is accepted (before any write attempt)."""
    return new_id()
