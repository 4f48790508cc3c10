"""The pages the preview itself writes: the render error page and a fallback 404."""

from __future__ import annotations

from html import escape

from bgpub.errors import BgpubError
from bgpub.services.drafts import ProjectDeleted

__all__ = ["ProjectDeleted", "fallback_not_found", "render_error_page"]

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%(title)s</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #fff7f7; color: #2b0b0b; }
main { max-width: 52rem; margin: 3rem auto; padding: 0 1rem; }
h1 { font-size: 1.4rem; color: #9b1c1c; }
.where { font-family: ui-monospace, monospace; background: #fde8e8; padding: .5rem .75rem; border-radius: 4px; }
.hint { color: #6b4b4b; }
</style>
</head>
<body>
<main>
<h1>%(title)s</h1>
%(body)s
</main>
</body>
</html>
"""


def render_error_page(error: BgpubError) -> bytes:
    """Names the place (page, block, component, prop, or template file:line) and the problem."""
    where = error.where or "the project"
    body = (
        f'<p class="where" id="bgpub-error-where">{escape(where)}</p>\n'
        f'<p id="bgpub-error-message">{escape(error.message)}</p>\n'
        + (
            '<p class="hint">Stop the preview (Ctrl+C); there is nothing left to show.</p>'
            if isinstance(error, ProjectDeleted)
            else '<p class="hint">Fix it in the editor or in the template; this page reloads by itself.</p>'
        )
    )
    title = getattr(error, "page_title", "Preview: the site cannot be rendered")
    return (_PAGE % {"title": escape(title), "body": body}).encode("utf-8")


def fallback_not_found(path: str) -> bytes:
    """Used only when the theme gives no 404.html (or the first render failed)."""
    body = f"<p>Nothing is published at <code>{escape(path)}</code>.</p>"
    return (_PAGE % {"title": "Not found", "body": body}).encode("utf-8")
