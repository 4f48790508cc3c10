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
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

from peewee import IntegrityError

from bgpub.db.connection import database
from bgpub.db.fields import new_id
from bgpub.db.models import PageView, VisitorSalt

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


@dataclass(frozen=True)
class ViewRecord:
    """One accepted page view, ready to insert (its id is fixed before the first write attempt)."""

    id: str
    project_id: str
    path: str
    referrer: str | None
    utm_source: str | None
    device: str
    visitor: str
    timestamp: datetime


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
    return row.salt


def visitor_hash(salt: str, project_id: str, address: str, user_agent: str) -> str:
    data = "\0".join((salt, project_id, address, user_agent)).encode("utf-8", "replace")
    return hashlib.sha256(data).hexdigest()[:32]


def record_views(records: list[ViewRecord]) -> int:
    """One multi-row INSERT per 500 rows, in one transaction; rows already there (a retried batch) are
    skipped. The statement is written directly (Peewee's query builder costs ~0.5 ms a row)."""
    if not records:
        return 0
    fields = PageView._meta.fields
    columns = (
        "id",
        "project",
        "path",
        "referrer",
        "utm_source",
        "device",
        "session_id",
        "timestamp",
    )
    names = ", ".join(f'"{fields[c].column_name}"' for c in columns)
    stamp = fields["timestamp"].db_value
    param = database.param
    with database.atomic():
        for start in range(0, len(records), 500):
            chunk = records[start : start + 500]
            values = ", ".join([f"({', '.join([param] * len(columns))})"] * len(chunk))
            params: list = []
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
                ]
            database.execute_sql(
                f'INSERT INTO "page_views" ({names}) VALUES {values} ON CONFLICT ("id") DO NOTHING',
                params,
            )
    return len(records)


def new_view_id() -> str:
    """A view's id, fixed when it is accepted (before any write attempt)."""
    return new_id()
