"""What a Markdown post brought over from another generator holds that this site cannot keep.

Hugo shortcodes, Liquid tags and template expressions stay in the text as plain text; raw HTML is
left out by the renderer's CommonMark safe mode. Each is reported with its `file:line`, outside
fenced code and code spans (where they are only shown).
"""

from __future__ import annotations

import re

from bgpub.services.post_sources import Finding

MAX_FINDINGS_PER_FILE = 50
HUGO_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}")
LIQUID_TAG = re.compile(r"\{%.*?%\}")
TEMPLATE_EXPRESSION = re.compile(r"\{\{(?![<%]).*?\}\}")
RAW_HTML = re.compile(r"<!--|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
CODE_SPAN = re.compile(r"(`+).*?\1")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def scan_body(body: str, name: str, first_line: int) -> list[Finding]:
    """Shortcodes, Liquid tags and raw HTML in a Markdown body (outside code), each with `file:line`."""
    found: list[Finding] = []
    fence = ""
    for offset, line in enumerate(body.split("\n")):
        opening = FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        plain = CODE_SPAN.sub("", line)
        where = f"{name}:{first_line + offset}"
        for pattern, what in (
            (HUGO_SHORTCODE, "Hugo shortcode"),
            (LIQUID_TAG, "Liquid tag"),
            (TEMPLATE_EXPRESSION, "template expression"),
        ):
            for match in pattern.finditer(plain):
                found.append(
                    Finding(
                        where,
                        f"{what} {match.group(0)[:80]} has no equivalent here: kept as plain text",
                    )
                )
            plain = pattern.sub("", plain)
        for match in RAW_HTML.finditer(plain):
            found.append(
                Finding(
                    where,
                    f"raw HTML {match.group(0)[:80]} is left out when the post is rendered "
                    "(Markdown here keeps no raw HTML): rewrite it in Markdown",
                )
            )
    if len(found) > MAX_FINDINGS_PER_FILE:
        rest = len(found) - MAX_FINDINGS_PER_FILE
        found = found[:MAX_FINDINGS_PER_FILE] + [Finding(name, f"and {rest} more like these")]
    return found
