"""Monthly partitions of `page_views` on PostgreSQL, made ahead by the collector, and retention.

Migration 0016 partitions the table by month; the collector calls `ensure_partitions` when it starts
and once a day (with the visitor salt), so a partition exists before its first view arrives, and
`record_views` makes a missing one itself if a view ever finds none. `prune_views` keeps the last N
months: on PostgreSQL it drops whole partitions (no row-by-row DELETE, no bloat to vacuum); on SQLite,
which keeps one table, it deletes the same rows. Both remove exactly the views before the first day
of the month N months back.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from peewee import fn

from bgpub.db.connection import database, is_postgres
from bgpub.db.models import Organization, PageView, Project, User
from bgpub.errors import InvalidInput
from bgpub.services import audit
from bgpub.services.permissions import Action, require

SCHEMA = "bgpub_partitions"
AHEAD = 3  # months after the current one that always have a partition
NAME = re.compile(r"page_views_(\d{4})_(\d{2})")
LOCK = zlib.crc32(b"bgpub page_views partitions")  # serialises partition DDL across collectors
RETENTION = re.compile(r"(\d{1,4})\s*(mo|months?|y|years?)")


@dataclass(frozen=True)
class PruneResult:
    cutoff: date  # views before this day are gone
    partitions_dropped: list[str]  # PostgreSQL
    rows_deleted: int

    def as_json(self) -> dict[str, object]:
        return {
            "cutoff": self.cutoff.isoformat(),
            "partitions_dropped": self.partitions_dropped,
            "rows_deleted": self.rows_deleted,
        }


def _shift(day: date, months: int) -> date:
    """The first day of the month `months` after (negative: before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def partitioned() -> bool:
    """True on PostgreSQL once 0016 made `page_views` a partitioned table."""
    if not is_postgres():
        return False
    row = database.execute_sql(
        "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = 'page_views' AND n.nspname = current_schema()"
    ).fetchone()
    return bool(row and row[0] == "p")


def partitions() -> list[tuple[str, date]]:
    """(name, first day) of every monthly partition, oldest first (PostgreSQL; [] on SQLite)."""
    if not partitioned():
        return []
    rows = database.execute_sql(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'page_views'::regclass"
    ).fetchall()
    found = []
    for (name,) in rows:
        match = NAME.fullmatch(name)
        if match:
            found.append((name, date(int(match[1]), int(match[2]), 1)))
    return sorted(found, key=lambda item: item[1])


def _create(month: date) -> None:
    upper = _shift(month, 1)
    database.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "{SCHEMA}"."page_views_{month:%Y_%m}" PARTITION OF page_views '
        f"FOR VALUES FROM ('{month.isoformat()}') TO ('{upper.isoformat()}')"
    )


def ensure_partitions(
    today: date | None = None, ahead: int = AHEAD, also: tuple[date, ...] = ()
) -> list[str]:
    """Makes the partitions of this month, the next `ahead` ones and the months of `also` that are
    missing; returns the names made. Several collectors may call it at once (an advisory lock orders
    them). Nothing to do on SQLite."""
    if not partitioned():
        return []
    today = today or datetime.now(UTC).date()
    wanted = {_shift(today, n) for n in range(ahead + 1)} | {_shift(d, 0) for d in also}
    have = {first for _, first in partitions()}
    missing = sorted(wanted - have)
    if not missing:
        return []
    with database.atomic():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
        database.execute_sql(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"')
        for month in missing:
            _create(month)
    return [f"page_views_{m:%Y_%m}" for m in missing]


def parse_retention(text: str) -> int:
    """`13mo`, `13 months`, `2y` -> months (at least 1)."""
    match = RETENTION.fullmatch(str(text).strip().lower())
    if not match or int(match[1]) < 1:
        raise InvalidInput(
            f"invalid retention {text!r}: give whole months or years, e.g. 13mo or 2y",
            where="--older-than",
        )
    count = int(match[1])
    return count * 12 if match[2].startswith("y") else count


def prune_views(actor: User, months: int, today: date | None = None) -> PruneResult:
    """Removes every page view before the first day of the month `months` back, for every project in
    the database (partitions hold all projects' views): the actor must be allowed to delete projects
    in each organization that has such views, or nothing is removed."""
    if months < 1:
        raise InvalidInput("keep at least one month", where="--older-than")
    today = today or datetime.now(UTC).date()
    cutoff = _shift(today, -months)
    moment = datetime(cutoff.year, cutoff.month, cutoff.day)
    owners = (
        Organization.select()
        .join(Project)
        .join(PageView, on=(PageView.project == Project.id))
        .where(PageView.timestamp < moment)
        .distinct()
    )
    for organization in owners:
        require(actor, organization, Action.DELETE_PROJECT)
    dropped: list[str] = []
    with database.atomic():
        count = (
            PageView.select(fn.COUNT(PageView.id)).where(PageView.timestamp < moment).scalar() or 0
        )
        if partitioned():
            for name, first in partitions():
                if _shift(first, 1) <= cutoff:
                    database.execute_sql(f'DROP TABLE "{SCHEMA}"."{name}"')
                    dropped.append(name)
            # rows of a month that is not whole before the cutoff cannot exist: months align
        else:
            PageView.delete().where(PageView.timestamp < moment).execute()
        for organization in Organization.select().where(
            Organization.id.in_([o.id for o in owners])
        ):
            audit.record(
                actor,
                organization,
                "stats.prune",
                "page_views",
                "",
                {"cutoff": cutoff.isoformat(), "months": months},
            )
    return PruneResult(cutoff, dropped, int(count))
