"""Imported HTML (a WordPress post) as Markdown with nothing executable left in it.

Script, style, frames, embedded objects and forms are removed with everything inside them, event
handler attributes (`on*`) and style attributes go, and a link or source whose scheme is not http(s),
mailto or tel (`javascript:`, `data:`, `vbscript:`) loses that attribute; only then does markdownify
turn the tree into Markdown. The renderer's CommonMark safe mode (raw HTML omitted, links filtered)
is a second wall, not the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment
from markdownify import MarkdownConverter

DROPPED_ELEMENTS = (
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "noscript",
    "template",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "link",
    "meta",
    "base",
    "svg",
    "math",
    "canvas",
)
URL_ATTRIBUTES = (
    "href",
    "src",
    "poster",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "background",
    "cite",
)
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
BLOCK_START = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|dl|section|!--)[\s>/]",
    re.IGNORECASE,
)
PRE_BLOCK = re.compile(r"(<pre[\s>].*?</pre>)", re.IGNORECASE | re.DOTALL)
WP_SHORTCODE = re.compile(
    r"\[/?(?:caption|wp_caption|gallery|embed|video|audio|playlist|youtube|vimeo|wpvideo|contact-form[\w-]*)\b[^\]]*\]"
)


CONVERTER = MarkdownConverter(heading_style="ATX", bullets="-", escape_misc=True)


@dataclass
class Converted:
    markdown: str
    removed: list[str] = field(default_factory=list)  # what was taken out, for the report
    shortcodes: list[str] = field(default_factory=list)


def safe_url(value: str) -> bool:
    """True for relative URLs and http(s)/mailto/tel; browsers ignore controls and spaces inside a
    scheme (`java\\tscript:`), so they are removed before the scheme is read."""
    match = SCHEME.match(INVISIBLE.sub("", value))
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def paragraphs(html: str) -> str:
    """WordPress stores classic posts without <p> (it adds them when showing): blank lines become
    paragraphs, outside <pre> blocks, whose blank lines are part of the code. Posts of the block
    editor already have their <p> and are left as they are."""
    if re.search(r"<p[\s>]", html, re.IGNORECASE):
        return html
    parts = PRE_BLOCK.split(html.replace("\r\n", "\n"))
    out = []
    for index, part in enumerate(parts):
        if index % 2:  # a <pre> block, kept whole
            out.append(part)
            continue
        out.extend(
            chunk if BLOCK_START.match(chunk) else f"<p>{chunk}</p>"
            for chunk in re.split(r"\n\s*\n", part)
            if chunk.strip()
        )
    return "\n".join(out)


def to_markdown(html: str) -> Converted:
    """Markdown of `html` with every executable part removed and listed."""
    result = Converted("")
    result.shortcodes = [m.group(0)[:80] for m in WP_SHORTCODE.finditer(html)]
    soup = BeautifulSoup(paragraphs(html), "html.parser")
    for element in soup.find_all(DROPPED_ELEMENTS):
        if element.decomposed:
            continue
        result.removed.append(f"<{element.name}> element")
        element.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for element in soup.find_all(True):
        for name in list(element.attrs):
            lowered = name.lower()
            value = element.attrs[name]
            text = " ".join(value) if isinstance(value, list) else str(value)
            if lowered.startswith("on"):
                result.removed.append(f"{lowered} attribute of <{element.name}>")
                del element.attrs[name]
            elif lowered in ("style", "srcdoc", "srcset"):
                del element.attrs[name]
            elif lowered in URL_ATTRIBUTES and not safe_url(text):
                result.removed.append(f"{lowered}={text[:40]!r} of <{element.name}>")
                del element.attrs[name]
    text = CONVERTER.convert_soup(soup)  # the cleaned tree itself: no second parse of its HTML
    result.markdown = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n" if text.strip() else ""
    return result


def plain_text(html: str) -> str:
    """The text of an HTML fragment (a comment, an excerpt), tags and script removed."""
    if "<" not in html and "&" not in html:  # most comments: plain already, no tree to build
        return re.sub(r"[ \t]+", " ", html).strip()
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(DROPPED_ELEMENTS):
        if not element.decomposed:
            element.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    return re.sub(r"[ \t]+", " ", soup.get_text()).strip()
