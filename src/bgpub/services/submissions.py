"""Form submissions: what the collector stores, and what people read, export and mark handled."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bgpub.db.connection import database
from bgpub.db.fields import new_id, utcnow
from bgpub.db.models import FormSubmission, Page, Project, User
from bgpub.db.rows import tuple_rows
from bgpub.domain.submissions import SubmissionView
from bgpub.errors import InvalidInput, NotFound
from bgpub.services import audit
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require

MAX_FIELDS = 50
MAX_NAME = 100
MAX_VALUE = 10_000


def check_form_name(name: object, where: str) -> str:
    if (
        not isinstance(name, str)
        or not name
        or len(name) > MAX_NAME
        or not all(c.isalnum() or c in "-_" for c in name)
    ):
        raise InvalidInput(
            "form name must be 1-100 letters, digits, '-' or '_'", where=where, field="form"
        )
    return name


def check_fields(fields: dict[str, Any], where: str) -> dict[str, str]:
    """At most 50 named text fields of at most 10,000 characters each; at least one."""
    if not fields:
        raise InvalidInput("the form sent no fields", where=where)
    if len(fields) > MAX_FIELDS:
        raise InvalidInput(f"too many fields ({len(fields)}, at most {MAX_FIELDS})", where=where)
    result: dict[str, str] = {}
    for name, value in fields.items():
        if not isinstance(name, str) or not name or len(name) > MAX_NAME:
            raise InvalidInput("a field name is empty or longer than 100 characters", where=where)
        if isinstance(value, (int, float, bool)):
            value = json.dumps(value)
        if not isinstance(value, str):
            raise InvalidInput(f"field {name!r} is not text", where=where, field=name)
        if len(value) > MAX_VALUE:
            raise InvalidInput(
                f"field {name!r} is longer than {MAX_VALUE} characters", where=where, field=name
            )
        result[name] = value
    return result


def _page_id(project_id: str, path: str | None) -> str | None:
    """The page a form was sent from, by its published path (`/` is the home page)."""
    if not path or not path.startswith("/"):
        return None
    slug = path.strip("/")
    query = Page.select(Page.id).where(Page.project == project_id)
    query = query.where(Page.is_home) if not slug else query.where(Page.slug == slug)
    row = query.first()
    return row.id if row else None


def record_submission(
    project_id: str,
    form: str,
    fields: dict[str, Any],
    page_path: str | None = None,
    submission_id: str | None = None,
) -> str:
    """Stores one submission (the collector has checked origin, stamp, honeypot and rate); returns its
    id. The id can be fixed by the caller, so a retried write never doubles the row."""
    where = f"project {project_id}, form {form}"
    form = check_form_name(form, where)
    data = check_fields(fields, where)
    row_id = submission_id or new_id()
    with database.atomic():
        FormSubmission.insert(
            id=row_id,
            project=project_id,
            page=_page_id(project_id, page_path),
            form_name=form,
            data=data,
            created_at=utcnow(),
        ).on_conflict_ignore().execute()
    return row_id


def _view(row: FormSubmission, slugs: dict[str, str]) -> SubmissionView:
    return SubmissionView(
        row.id,
        row.form_name,
        slugs.get(row.page_id) if row.page_id else None,
        dict(row.data or {}),
        row.created_at,
        row.handled_at,
    )


def submissions_of(
    project: Project | str,
    form: str | None = None,
    *,
    limit: int | None = None,
    unhandled: bool = False,
) -> list[SubmissionView]:
    """Newest first; no permission check (callers have done it: a member or an API key); `project`
    is a row or its id."""
    query = (
        FormSubmission.select()
        .where(FormSubmission.project == project)
        .order_by(FormSubmission.created_at.desc(), FormSubmission.id)
    )
    if form:
        query = query.where(FormSubmission.form_name == form)
    if unhandled:
        query = query.where(FormSubmission.handled_at.is_null())
    if limit:
        query = query.limit(limit)
    rows = list(query)
    slugs = dict(
        tuple_rows(
            Page.select(Page.id, Page.slug).where(
                Page.id.in_({r.page_id for r in rows if r.page_id})
            )
        )
    )
    return [_view(row, slugs) for row in rows]


def list_submissions(
    actor: User, project: str | Project, form: str | None = None, *, unhandled: bool = False
) -> list[SubmissionView]:
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return submissions_of(project, form, unhandled=unhandled)


def mark_handled(
    actor: User, project: str | Project, submission_id: str, handled: bool = True
) -> None:
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    row = FormSubmission.get_or_none(
        (FormSubmission.project == project) & (FormSubmission.id == submission_id)
    )
    if row is None:
        raise NotFound(f"no submission {submission_id!r}", where=f"project {project.name}")
    with database.atomic():
        row.handled_at = utcnow() if handled else None
        row.save(only=[FormSubmission.handled_at])
        audit.record(
            actor,
            project.organization,
            "submission.handle" if handled else "submission.unhandle",
            "form_submission",
            row.id,
            {"form": row.form_name},
        )


def submissions_csv(rows: list[SubmissionView]) -> str:
    """One row per submission; a column per field name seen (sorted), after id, form, page and times."""
    names = sorted({name for r in rows for name in r.data})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "form", "page", "created_at", "handled_at", *names])
    for r in rows:
        writer.writerow(
            [
                r.id,
                r.form,
                r.page or "",
                r.created_at.isoformat(),
                r.handled_at.isoformat() if r.handled_at else "",
                *[_cell(r.data.get(n, "")) for n in names],
            ]
        )
    return out.getvalue()


def _cell(value: str) -> str:
    """Spreadsheet formula injection: a cell starting with = + - @ is read as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
