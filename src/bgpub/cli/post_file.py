"""The file a post is written in: Markdown with a YAML front-matter header, opened in $VISUAL/$EDITOR.

On a validation error the editor opens again with the error as `#` comments at the top, as
`git commit` does; saving the file unchanged after an error gives up with that error.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import click
import frontmatter
import yaml

from bgpub.errors import InvalidInput

T = TypeVar("T")
FIELDS = ("title", "slug", "status", "publish_at", "category", "tags", "author", "excerpt", "cover")
HELP = (
    "# Write the post below the second '---'. status: DRAFT, PUBLISHED, SCHEDULED (needs publish_at,\n"
    "# UTC, e.g. '2026-12-24 09:00') or ARCHIVED. Lines starting with '#' above the header are ignored;\n"
    "# an empty file saves nothing.\n"
)


def compose(fields: dict[str, Any], body: str) -> str:
    """The file's text: the header in FIELDS order (strings quoted where YAML would misread them)."""
    header = {name: fields.get(name) for name in FIELDS if name in fields}
    text = yaml.safe_dump(
        header, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000
    )
    return f"---\n{text}---\n{body}"


def _without_comments(text: str) -> str:
    lines = text.splitlines(keepends=True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)


def _plain(value: Any) -> Any:
    """YAML's dates, numbers and booleans back to the text the writer typed (a title may be `2026`)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") + ("Z" if value.tzinfo else "")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def parse(text: str, where: str = "post file") -> tuple[dict[str, Any], str]:
    """(header fields, Markdown body); a text without a header is all body."""
    text = _without_comments(text)
    if not text.startswith("---"):
        return {}, text
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InvalidInput(
            f"the front matter is not valid YAML: {problem}", where=f"{where}{line}"
        ) from None
    fields = dict(post.metadata)
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise InvalidInput(
            f"unknown front-matter key {unknown[0]!r} (known: {', '.join(FIELDS)})", where=where
        )
    fields = {k: _plain(v) for k, v in fields.items()}
    tags = fields.get("tags")
    if tags is None:
        fields["tags"] = []
    elif isinstance(tags, str):
        fields["tags"] = [t.strip() for t in tags.split(",") if t.strip()]
    elif not isinstance(tags, list):
        raise InvalidInput("tags must be a list such as [travel, gear]", where=where, field="tags")
    body = post.content + ("\n" if post.content and not post.content.endswith("\n") else "")
    return fields, body


def with_error(text: str, error: str) -> str:
    """The text with the error as comments on top (earlier comments dropped)."""
    lines = "".join(f"# {line}\n" for line in f"error: {error}".splitlines())
    return f"{lines}# Fix it and save, or empty the file to cancel.\n{_without_comments(text)}"


def edit_until_valid(
    text: str, save: Callable[[dict[str, Any], str], T], *, where: str, unchanged_ok: bool = True
) -> T | None:
    """Opens the editor on `text` until `save(fields, body)` accepts it; None when nothing was saved
    (an empty file, or an unchanged one when `unchanged_ok` is false)."""
    original = _without_comments(text)
    shown = HELP + text
    last: str | None = None
    while True:
        edited = click.edit(shown, extension=".md", require_save=False)
        content = _without_comments(edited if edited is not None else shown)
        if not content.strip():
            return None
        if not unchanged_ok and content == original:
            return None
        try:
            fields, body = parse(content, where)
            return save(fields, body)
        except InvalidInput as exc:
            if content == last:  # saved again without a change: give up with the error
                raise
            last = content
            shown = with_error(content, str(exc))
