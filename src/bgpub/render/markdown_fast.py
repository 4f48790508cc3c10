"""A fast path for the plainest Markdown: paragraphs, ATX headings, tight bullet lists, plain http links.

It returns exactly what markdown-it-py (CommonMark, html off) returns for the inputs it accepts, and
None for anything else, which then goes to markdown-it-py. Every character that could start inline
syntax (emphasis, code, HTML, entities, escapes, images) sends the text to the full parser, so this path
cannot be tricked into markup. A differential test checks it against markdown-it-py on generated input.
"""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(r"[\\`*_\[\]<>&\x00-\x09\x0b-\x1f\x7f]")
_BLOCK_START = frozenset("#>-+*=_~`<|0123456789 \t")
_HEADING = re.compile(r"^(#{1,6}) ([^#\s](?:[^#]*[^#\s])?)$")
_LINK = re.compile(r"\[([^\s\[\]\\`*_<>&!](?:[^\[\]\\`*_<>&!\n]*[^\s\[\]\\`*_<>&!])?)\]\((https?://[A-Za-z0-9.\-_~/]+)\)")


def _inline(text: str) -> str | None:
    if "![" in text:
        return None  # an image
    parts = _LINK.split(text)
    out = []
    for n, part in enumerate(parts):
        if n % 3 == 0:
            if _FORBIDDEN.search(part):
                return None
            out.append(part.replace('"', "&quot;"))
        elif n % 3 == 1:
            label = part.replace('"', "&quot;")
        else:
            out.append(f'<a href="{part}">{label}</a>')
    return "".join(out)


def _line_ok(line: str) -> bool:
    """No whitespace (of any Unicode kind) at either end: the parser strips it."""
    return bool(line) and not line[0].isspace() and not line[-1].isspace()


def fast_markdown(text: str) -> str | None:
    """HTML identical to markdown-it-py's for simple Markdown, or None when the text needs the parser."""
    if "\r" in text:
        return None
    lines = text.split("\n")
    n = len(lines)
    out: list[str] = []
    i = 0
    while i < n:
        line = lines[i]
        if not line:
            i += 1
            continue
        if not _line_ok(line):
            return None
        if line[0] == "#":
            match = _HEADING.match(line)
            content = match and _line_ok(match.group(2)) and _inline(match.group(2))
            if not content:
                return None
            level = len(match.group(1))
            out.append(f"<h{level}>{content}</h{level}>\n")
            i += 1
            continue
        if line.startswith("- "):
            items = []
            while i < n and lines[i].startswith("- "):
                body = lines[i][2:]
                if not body or body[0] in _BLOCK_START or not _line_ok(body):
                    return None
                content = _inline(body)
                if content is None:
                    return None
                items.append(f"<li>{content}</li>\n")
                i += 1
            if i < n and lines[i]:
                return None  # a lazy continuation line or an interruption: leave it to the parser
            j = i
            while j < n and not lines[j]:
                j += 1
            if j < n and lines[j].startswith(("- ", "-\t", "-")):
                return None  # a blank line between items makes a loose list
            out.append("<ul>\n" + "".join(items) + "</ul>\n")
            continue
        if line[0] in _BLOCK_START:
            return None
        para = [line]
        i += 1
        while i < n and lines[i]:
            nxt = lines[i]
            if nxt.startswith("- ") or (nxt[0] == "#" and _HEADING.match(nxt)):
                break
            if nxt[0] in _BLOCK_START or not _line_ok(nxt):
                return None
            para.append(nxt)
            i += 1
        content = _inline("\n".join(para))
        if content is None:
            return None
        out.append(f"<p>{content}</p>\n")
    return "".join(out)
