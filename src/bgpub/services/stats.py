"""Analytics of a project from what the collector stored: visits and views per day, top pages,
referrers, UTM sources, devices, countries; form submissions per form; comments waiting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from peewee import Field, fn

from bgpub.db.models import FormSubmission, PageView, Project, User
from bgpub.db.rows import tuple_rows
from bgpub.domain.stats import DayCount, ProjectStats, Ranked
from bgpub.errors import InvalidInput
from bgpub.services import comments
from bgpub.services.lookup import find_project, project_row
from bgpub.services.permissions import Action, require

TOP = 10


def _day(value: Any) -> str:
    return value.isoformat()[:10] if isinstance(value, (date, datetime)) else str(value)[:10]


def _ranked(project: Project, since: datetime, column: Field[Any]) -> list[Ranked]:
    """Views and (per-day distinct) visitors by `column`, most viewed first (the seed's top-pages query)."""
    day = fn.DATE(PageView.timestamp)
    inner = (
        PageView.select(
            column.alias("name"),
            day.alias("day"),
            fn.COUNT(PageView.id).alias("views"),
            fn.COUNT(PageView.session_id.distinct()).alias("visitors"),
        )
        .where(
            (PageView.project == project) & (PageView.timestamp >= since) & column.is_null(False)
        )
        .group_by(column, day)
    )
    totals: dict[str, list[int]] = {}
    for name, _, views, visitors in tuple_rows(inner):
        entry = totals.setdefault(name, [0, 0])
        entry[0] += views
        entry[1] += visitors
    ranked = sorted(totals.items(), key=lambda item: (-item[1][0], item[0]))[:TOP]
    return [Ranked(name, views, visitors) for name, (views, visitors) in ranked]


def stats_of(project: Project | str, days: int = 30, now: datetime | None = None) -> ProjectStats:
    """No permission check (a member or an API key was checked by the caller); `project` is a row
    or its id."""
    project = project_row(project)
    if not isinstance(days, int) or not 1 <= days <= 3660:
        raise InvalidInput(
            "days must be between 1 and 3660", where=f"project {project.name}, stats", field="days"
        )
    now = now or datetime.now(UTC).replace(tzinfo=None)
    first = (now - timedelta(days=days - 1)).date()
    since = datetime.combine(first, datetime.min.time())
    day = fn.DATE(PageView.timestamp)
    rows = tuple_rows(
        PageView.select(day, fn.COUNT(PageView.session_id.distinct()), fn.COUNT(PageView.id))
        .where((PageView.project == project) & (PageView.timestamp >= since))
        .group_by(day)
    )
    counted = {_day(d): (visits, views) for d, visits, views in rows}
    per_day = [
        DayCount(d, *counted.get(d, (0, 0)))
        for d in ((first + timedelta(days=i)).isoformat() for i in range(days))
    ]
    forms = dict(
        tuple_rows(
            FormSubmission.select(FormSubmission.form_name, fn.COUNT(FormSubmission.id))
            .where((FormSubmission.project == project) & (FormSubmission.created_at >= since))
            .group_by(FormSubmission.form_name)
            .order_by(FormSubmission.form_name)
        )
    )
    return ProjectStats(
        project=project.name,
        days=days,
        since=first.isoformat(),
        views=sum(d.views for d in per_day),
        visitors=sum(d.visits for d in per_day),
        per_day=per_day,
        pages=_ranked(project, since, PageView.path),
        referrers=_ranked(project, since, PageView.referrer),
        sources=_ranked(project, since, PageView.utm_source),
        devices=_ranked(project, since, PageView.device),
        countries=_ranked(project, since, PageView.country),
        forms=forms,
        comments_pending=comments.pending_count(project),
    )


def project_stats(actor: User, project: str | Project, days: int = 30) -> ProjectStats:
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return stats_of(project, days)
