"""SVG uploads made inert: parsed with a hardened XML parser and rebuilt from an allowlist.

An SVG is a document that can run script on the origin that serves it, so the upload is never
stored as given. It is parsed by `defusedxml` (no DTD, no entity declarations, no external
references), then a new document is written out of what is allowed, judged by resolved namespace
and local name (so `<s:script xmlns:s="http://www.w3.org/2000/svg">` is a script like any other):
SVG elements that draw, static presentation and geometry attributes, `href`/`xlink:href` only to a
same-document fragment (`#id`), and CSS (`<style>`, `style=`, presentation attributes) tokenized
by tinycss2 and kept only when every `url()` is a local fragment and no at-rule other than
`@media` appears. Processing instructions, comments, DOCTYPEs, scripts, `foreignObject`,
event handlers and anything unknown are left out.

Animation elements (`animate`, `set`, `animateMotion`, `animateTransform`, `discard`, `mpath`) are
left out entirely rather than screened: they rewrite any attribute at run time (an `href` to
`javascript:`, an event handler), `attributeName` may carry a namespace prefix only the original
document's bindings resolve, and the values arrive as `to`/`from`/`values`/`by` lists; a static
image needs none of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import tinycss2
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from bgpub.errors import InvalidInput
from bgpub.services.svg_css import (
    INVISIBLE,
    PRESENTATION,
    STRING_PROPERTIES,
    attribute_ok,
    fragment,
    style_attribute,
    stylesheet,
)

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_DEPTH = 200  # nesting beyond this is an attack on the parser, not a drawing
MAX_PIXELS = 1_000_000  # a width/height larger than this is not a size worth recording

ELEMENTS = frozenset(
    """
    a circle clipPath defs desc ellipse feBlend feColorMatrix feComponentTransfer feComposite
    feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA
    feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset
    fePointLight feSpecularLighting feSpotLight feTile feTurbulence filter g image line
    linearGradient marker mask path pattern polygon polyline radialGradient rect stop style svg
    switch symbol text textPath title tspan use
""".split()
)
SCRIPT_ELEMENTS = frozenset(
    {"script", "handler", "listener"}
)  # any namespace, any case: refused upstream
ANIMATION_ELEMENTS = frozenset(
    {"animate", "animatecolor", "animatemotion", "animatetransform", "set"}
)
# Other attributes, all inert (numbers, keywords, references by id within the element's own syntax).
ATTRIBUTES = frozenset(
    """
    id class role lang tabindex version baseProfile viewBox preserveAspectRatio x y x1 y1 x2 y2 cx cy
    r rx ry fx fy fr width height d points pathLength dx dy rotate textLength lengthAdjust
    startOffset method spacing side gradientUnits gradientTransform spreadMethod offset
    patternUnits patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits
    markerUnits markerWidth markerHeight refX refY orient filterUnits primitiveUnits in in2 result
    stdDeviation mode operator k1 k2 k3 k4 values type tableValues slope intercept amplitude exponent
    order kernelMatrix divisor bias targetX targetY edgeMode kernelUnitLength preserveAlpha
    surfaceScale diffuseConstant specularConstant specularExponent scale xChannelSelector
    yChannelSelector azimuth elevation z pointsAtX pointsAtY pointsAtZ limitingConeAngle radius
    baseFrequency numOctaves seed stitchTiles crossorigin systemLanguage media
""".split()
)
SCRIPT_URL = re.compile(r"^(?:java|vb|live)script:", re.IGNORECASE)
LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(?:px)?\s*$")
NUMBER_LIST = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class CleanSvg:
    """The rebuilt document and what was left out of it (for messages and import checks)."""

    data: bytes
    width: int | None
    height: int | None
    # everything the rebuild left out, in document order (comments excepted)
    removed: tuple[str, ...]
    # of which: what would run script (script elements, event handlers, script URLs)
    active: tuple[str, ...]


class _Builder(TreeBuilder):
    """Builds the tree; counts processing instructions (which it never inserts) and skips comments."""

    def __init__(self) -> None:
        super().__init__()
        self.instructions: list[str] = []

    def pi(self, target: str, text: str | None = None) -> Any:
        self.instructions.append(target)

    def comment(self, text: str | None) -> Any:
        return None


def _parse(data: bytes, where: str) -> tuple[Element, list[str]]:
    builder = _Builder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(data)
        root = parser.close()
    except (DTDForbidden, EntitiesForbidden):
        raise InvalidInput(
            "an SVG with a DOCTYPE or entity declarations is refused (remove the "
            "<!DOCTYPE ...> part)",
            where=where,
        ) from None
    except DefusedXmlException:
        raise InvalidInput(
            "an SVG referring to external entities is refused", where=where
        ) from None
    except (ParseError, ValueError, LookupError) as exc:
        raise InvalidInput(f"the SVG is not well-formed XML ({exc})", where=where) from None
    return root, builder.instructions


def _split(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def _shown(name: str) -> str:
    ns, local = _split(name)
    if ns in ("", SVG_NS):
        return local
    return f"{{{ns}}}{local}"


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = (
            text.replace('"', "&quot;")
            .replace("\t", "&#9;")
            .replace("\n", "&#10;")
            .replace("\r", "&#13;")
        )
    return text


class _Rebuild:
    """Writes the allowed part of a parsed tree as text, noting what it leaves out."""

    def __init__(self, where: str):
        self.where = where
        self.out: list[str] = []
        self.removed: list[str] = []
        self.active: list[str] = []
        self.xlink = False
        self.root: dict[str, str] = {}

    def drop(self, what: str, active: bool = False) -> None:
        self.removed.append(what)
        if active:
            self.active.append(what)

    def element(self, el: Element, depth: int) -> None:
        ns, local = _split(el.tag)
        if depth > MAX_DEPTH:
            raise InvalidInput(
                f"the SVG nests elements more than {MAX_DEPTH} levels deep", where=self.where
            )
        if ns != SVG_NS or local not in ELEMENTS:
            self._screen_dropped(el)
            return
        attrs = self.attributes(el, local)
        if depth == 0:
            self.root = attrs
        if local == "use" and "href" not in attrs and "xlink:href" not in attrs:
            self.drop("<use> without a same-document href")
            return
        namespaces = f' xmlns="{SVG_NS}"' if depth == 0 else ""
        text = "".join(f' {name}="{_escape(value, quote=True)}"' for name, value in attrs.items())
        self.out.append(f"<{local}{namespaces}{text}")
        self.out.append("")  # the end of the start tag: ">" when content follows, else "/>"
        slot = len(self.out) - 1
        if local == "style":
            body = self.style_text(el)
            if body:
                self.out.append(_escape(body))
        else:
            if el.text:
                self.out.append(_escape(el.text))
            for child in el:
                self.element(child, depth + 1)
                if child.tail:
                    self.out.append(_escape(child.tail))
        if len(self.out) == slot + 1:
            self.out[slot] = "/>"
        else:
            self.out[slot] = ">"
            self.out.append(f"</{local}>")

    def _screen_dropped(self, el: Element) -> None:
        """Notes a left-out subtree, and whether anything in it would have run script."""
        self.drop(f"<{_shown(el.tag)}>")
        for inner in el.iter():
            ns, local = _split(inner.tag)
            if local.lower() in SCRIPT_ELEMENTS:
                self.active.append(f"<{_shown(inner.tag)}> element")
            for name, value in inner.attrib.items():
                if _split(name)[1].lower().startswith("on"):
                    self.active.append(f"event handler {_shown(name)} on <{_shown(inner.tag)}>")
                elif SCRIPT_URL.match(INVISIBLE.sub("", value)):
                    self.active.append(f"script URL in {_shown(name)} on <{_shown(inner.tag)}>")
            if local.lower() in ANIMATION_ELEMENTS:
                target = _split(inner.attrib.get("attributeName", ""))[1].split(":")[-1].lower()
                if target == "href" or target.startswith("on"):
                    self.active.append(f"<{_shown(inner.tag)}> of {target}")

    def attributes(self, el: Element, tag: str) -> dict[str, str]:
        kept: dict[str, str] = {}
        for name, value in el.attrib.items():
            ns, local = _split(name)
            if not ns and local in ATTRIBUTES:  # the common case first: geometry, ids, classes
                kept[local] = value
                continue
            shown = f"{_shown(name)} on <{tag}>"
            if local.lower().startswith("on"):
                self.drop(f"event handler {shown}", active=True)
            elif local == "href" and ns in ("", XLINK_NS):
                target = fragment(value)
                if target is None:
                    self.drop(
                        f"link {shown} (only #id links are kept)",
                        active=bool(SCRIPT_URL.match(INVISIBLE.sub("", value))),
                    )
                else:
                    kept["xlink:href" if ns else "href"] = target
                    self.xlink = self.xlink or bool(ns)
            elif ns == XML_NS and local in ("space", "lang"):
                kept[f"xml:{local}"] = value
            elif ns:
                self.drop(f"attribute {shown}")
            elif local == "style":
                body, dropped = style_attribute(value)
                self.removed.extend(f"{shown}: {what}" for what in dropped)
                if body:
                    kept["style"] = body
            elif local in PRESENTATION:
                if attribute_ok(value, local in STRING_PROPERTIES):
                    kept[local] = value
                else:
                    self.drop(f"attribute {shown}")
            elif local.startswith("aria-"):
                kept[local] = value
            else:
                self.drop(f"attribute {shown}")
        return kept

    def style_text(self, el: Element) -> str:
        if len(el):
            self.drop("elements inside <style>")
        rules = tinycss2.parse_stylesheet(
            "".join(el.itertext()), skip_comments=True, skip_whitespace=True
        )
        return stylesheet(rules, self.removed)


def sanitise_svg(data: bytes, where: str) -> CleanSvg:
    """The upload rebuilt from the allowlist as UTF-8; refuses what cannot be parsed or is no SVG."""
    root, instructions = _parse(data, where)
    ns, local = _split(root.tag)
    if (ns, local) != (SVG_NS, "svg"):
        found = f"<{local}>" + (f" in namespace {ns}" if ns else " in no namespace")
        raise InvalidInput(
            f"the root element is {found}; an SVG's root must be <svg> in the SVG "
            f"namespace ({SVG_NS})",
            where=where,
        )
    rebuild = _Rebuild(where)
    rebuild.removed.extend(f"processing instruction <?{target}?>" for target in instructions)
    rebuild.element(root, 0)
    if rebuild.xlink:
        rebuild.out[0] = rebuild.out[0].replace(
            f' xmlns="{SVG_NS}"', f' xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"', 1
        )
    width, height = svg_size(rebuild.root)
    return CleanSvg(
        "".join(rebuild.out).encode("utf-8"),
        width,
        height,
        tuple(rebuild.removed),
        tuple(rebuild.active),
    )


def _pixels(value: float) -> int | None:
    return round(value) if 0 < value <= MAX_PIXELS else None


def svg_size(attrs: dict[str, str]) -> tuple[int | None, int | None]:
    """Pixel size from the root's width/height (unitless or px), else its viewBox; None when unknown."""
    width, height = LENGTH.match(attrs.get("width", "")), LENGTH.match(attrs.get("height", ""))
    if width and height:
        w, h = _pixels(float(width.group(1))), _pixels(float(height.group(1)))
        if w and h:
            return w, h
    parts = [p for p in NUMBER_LIST.split(attrs.get("viewBox", "").strip()) if p]
    if len(parts) == 4:
        try:
            w, h = _pixels(float(parts[2])), _pixels(float(parts[3]))
        except ValueError:
            return None, None
        if w and h:
            return w, h
    return None, None
