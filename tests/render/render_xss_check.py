"""An HTML5 checker for executable vectors, shared by the XSS and starter-site tests."""

from __future__ import annotations

import json
import re

import html5lib

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "cite",
    "srcset",
    "xlink:href",
    "manifest",
    "longdesc",
    "usemap",
    "ping",
}
FORBIDDEN_ELEMENTS = {"script", "iframe", "object", "embed", "base", "frame", "frameset", "applet"}
_BAD_SCHEME = re.compile(
    r"^(javascript|vbscript|livescript|mocha):|^data:[^,]*(html|xml|svg|script)", re.I
)
_STRIP = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def _is_data_block(element) -> bool:
    """A `<script type="application/ld+json">` holding only JSON: data browsers never run."""
    if (
        element.tag.lower() != "script"
        or element.get("type", "").strip().lower() != "application/ld+json"
    ):
        return False
    if len(element) or set(element.attrib) != {"type"}:
        return False
    try:
        json.loads(element.text or "")
    except ValueError:
        return False
    return True


def executable_vectors(html: bytes | str) -> list[str]:
    """Every script element, event-handler attribute or script URL a browser would see in `html`."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in FORBIDDEN_ELEMENTS and not _is_data_block(element):
            found.append(f"<{tag}> element")
        if tag.lower() == "meta" and element.get("http-equiv", "").lower() == "refresh":
            found.append("meta refresh")
        for name, value in element.attrib.items():
            lower = name.lower()
            if lower.startswith("on"):
                found.append(f"<{tag} {name}=...> event handler")
            if lower in URL_ATTRIBUTES and _BAD_SCHEME.match(_STRIP.sub("", value)):
                found.append(f"<{tag} {name}={value!r}> script URL")
            if lower == "style" and re.search(r"expression|javascript|url\(", value, re.I):
                found.append(f"<{tag} style={value!r}>")
    return found
