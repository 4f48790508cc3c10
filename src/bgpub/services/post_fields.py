"""The checks of a post's fields, categories, tags and comments: one wording for the CLI, TUI and imports.

Each check returns the normalised value or raises one InvalidInput naming the field (and `where`).
Times are naive UTC datetimes inside bgpub and `YYYY-MM-DDTHH:MM:SSZ` in snapshots.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bgpub.db.enums import CommentStatus, PostStatus
from bgpub.domain.posts import SNAPSHOT_TIME as SNAPSHOT_TIME  # re-exported: the checks' time form
from bgpub.domain.posts import snapshot_time as snapshot_time
from bgpub.errors import InvalidInput
from bgpub.services import validation

TITLE_MAX = 200
EXCERPT_MAX = 2000
BYLINE_MAX = 200
NAME_MAX = 100  # category and tag names
COMMENT_AUTHOR_MAX = 100
COMMENT_BODY_MAX = 5000


def title(value: object, where: str | None = None) -> str:
    return validation.required_text(value, "title", max_length=TITLE_MAX, where=where)


def slug(value: object, where: str | None = None) -> str:
    """A post's URL segment (`blog/<slug>/`): the rules of page slugs."""
    return validation.page_slug(value, where=where)


def excerpt(value: object, where: str | None = None) -> str:
    return validation.optional_text(
        value, "excerpt", max_length=EXCERPT_MAX, where=where, multiline=True
    )


def body(value: object, where: str | None = None) -> str:
    """Markdown of any length; only a NUL (no database stores it) is refused."""
    if not isinstance(value, str):
        raise InvalidInput(
            f"body must be a string, got {validation.json_kind(value)}", where=where, field="body"
        )
    if "\x00" in value:
        raise InvalidInput("body contains a NUL character (U+0000)", where=where, field="body")
    return value


def byline(value: object, where: str | None = None) -> str:
    return validation.optional_text(value, "author", max_length=BYLINE_MAX, where=where)


def category_name(value: object, where: str | None = None) -> str:
    return validation.required_text(value, "category", max_length=NAME_MAX, where=where)


def tag_name(value: object, where: str | None = None) -> str:
    return validation.required_text(value, "tag", max_length=NAME_MAX, where=where)


def status(value: object, where: str | None = None) -> PostStatus:
    return validation.enum_value(PostStatus, value, "status", where=where)


def comment_status(value: object, where: str | None = None) -> CommentStatus:
    return validation.enum_value(CommentStatus, value, "comment status", where=where)


def comment_author(value: object, where: str | None = None) -> str:
    return validation.required_text(value, "author", max_length=COMMENT_AUTHOR_MAX, where=where)


def comment_body(value: object, where: str | None = None) -> str:
    return validation.required_text(
        value, "body", max_length=COMMENT_BODY_MAX, where=where, multiline=True
    )


def moment(value: object, field: str, where: str | None = None) -> datetime:
    """A point in time as naive UTC: `2026-12-24 09:00`, `2026-12-24T09:00:00Z` or with an offset
    (`+01:00`); a time without an offset is UTC."""
    parsed: datetime | None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = value.strip() if isinstance(value, str) else None
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise InvalidInput(
                f"{field} {value!r} is not a date and time such as '2026-12-24 09:00' (UTC) "
                "or '2026-12-24T09:00:00Z'",
                where=where,
                field=field,
            )
    assert parsed is not None  # the branch above raised otherwise
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


def read_snapshot_time(value: object, field: str, where: str | None = None) -> datetime | None:
    """The inverse of `snapshot_time`: '' is None; anything but that exact form is refused."""
    if value == "":
        return None
    if isinstance(value, str):
        try:
            return datetime.strptime(value, SNAPSHOT_TIME)
        except ValueError:
            pass
    raise InvalidInput(
        f"{field} {value!r} is not an ISO 8601 UTC time such as '2026-11-30T09:00:00Z'",
        where=where,
        field=field,
    )
