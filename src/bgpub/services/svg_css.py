"""CSS inside uploaded SVGs (`<style>`, `style=`, presentation attributes), kept only when inert.

The text is tokenized by tinycss2 as a browser would (comments, escapes and `url(` spelled any way
come out decoded), then judged token by token: known properties, known functions, `url()` only to
a same-document fragment, no at-rule but `@media`, no strings but in font names.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import tinycss2

# CSS properties SVG reads as presentation attributes (their values are parsed as CSS).
PRESENTATION = frozenset(
    """
    alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters color-rendering direction display dominant-baseline fill
    fill-opacity fill-rule filter flood-color flood-opacity font font-family font-kerning font-size
    font-size-adjust font-stretch font-style font-variant font-weight glyph-orientation-horizontal
    glyph-orientation-vertical image-rendering isolation letter-spacing lighting-color marker
    marker-end marker-mid marker-start mask mask-type mix-blend-mode opacity overflow paint-order
    pointer-events shape-rendering stop-color stop-opacity stroke stroke-dasharray stroke-dashoffset
    stroke-linecap stroke-linejoin stroke-miterlimit stroke-opacity stroke-width text-anchor
    text-decoration text-rendering transform transform-box transform-origin unicode-bidi
    vector-effect visibility white-space word-spacing writing-mode
""".split()
)
STYLE_PROPERTIES = PRESENTATION | {"cx", "cy", "r", "rx", "ry", "x", "y", "width", "height"}
CSS_FUNCTIONS = frozenset(
    """
    rgb rgba hsl hsla hwb lab lch oklab oklch color calc min max clamp translate translatex
    translatey rotate scale scalex scaley skew skewx skewy matrix rect inset circle ellipse polygon
    blur brightness contrast drop-shadow grayscale hue-rotate invert saturate sepia
""".split()
)
CSS_LITERALS = frozenset({",", "/", "+", "-", "*", ".", "%", ":", "!"})
STRING_PROPERTIES = frozenset({"font", "font-family"})
MAX_NESTING = (
    32  # brackets, functions and @media inside one another; deeper is an attack on the checks
)

FRAGMENT = re.compile(r"#[\w.:-]+")
PLAIN_VALUE = re.compile(
    r"[#\w\s.,%+-]*"
)  # keywords, numbers, colours: no function, string or escape
INVISIBLE = re.compile(
    r"[\x00-\x20\x7f]+"
)  # what browsers skip in a URL: whitespace and C0 controls


def fragment(value: str) -> str | None:
    """`#id` when the URL is a same-document fragment once browsers' leniency is applied, else None."""
    compact = INVISIBLE.sub("", value)
    return compact if FRAGMENT.fullmatch(compact) else None


def value_ok(tokens: list[Any], strings: bool, depth: int = 0) -> bool:
    """Every token is inert: no url() but to `#id`, only known functions, no blocks or at-keywords."""
    if depth > MAX_NESTING:
        return False
    for token in tokens:
        kind = token.type
        if kind in ("whitespace", "comment", "ident", "number", "percentage", "dimension", "hash"):
            continue
        if kind == "literal" and token.value in CSS_LITERALS:
            continue
        if kind == "string" and strings and "<" not in token.value:
            continue
        if kind == "url" and fragment(token.value) is not None:
            continue
        if kind == "function":
            if token.lower_name == "url":
                args = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
                if (
                    len(args) == 1
                    and args[0].type == "string"
                    and fragment(args[0].value) is not None
                ):
                    continue
                return False
            if token.lower_name in CSS_FUNCTIONS and value_ok(token.arguments, strings, depth + 1):
                continue
            return False
        if kind == "() block" and value_ok(token.content, strings, depth + 1):
            continue
        return False
    return True


def _selector_ok(tokens: list[Any], depth: int = 0) -> bool:
    """A selector cannot fetch anything; refuse only what could smuggle markup or nested rules."""
    if depth > MAX_NESTING:
        return False
    for token in tokens:
        kind = token.type
        if kind in ("url", "at-keyword", "{} block", "error") or (
            kind == "literal" and token.value in ("<", "\\")
        ):
            return False
        if kind == "function" and (
            token.lower_name == "url" or not _selector_ok(token.arguments, depth + 1)
        ):
            return False
        if kind in ("() block", "[] block") and not _selector_ok(token.content, depth + 1):
            return False
        if kind == "string" and "<" in token.value:
            return False
    return True


def declarations(tokens_or_text: list[Any] | str, removed: list[str], where: str) -> str:
    """The allowed declarations of a block or `style=` attribute, serialized; drops the others."""
    kept = []
    for item in tinycss2.parse_blocks_contents(
        tokens_or_text, skip_comments=True, skip_whitespace=True
    ):
        if item.type != "declaration":
            removed.append(f"{where}: {item.type} in a declaration list")
            continue
        name = item.lower_name
        if name not in STYLE_PROPERTIES or not value_ok(item.value, name in STRING_PROPERTIES):
            removed.append(f"{where}: declaration {name}")
            continue
        value = tinycss2.serialize(item.value).strip()
        kept.append(f"{name}:{value}{' !important' if item.important else ''}")
    return ";".join(kept)


@lru_cache(maxsize=4096)
def attribute_ok(value: str, strings: bool) -> bool:
    """A presentation attribute's value is inert (remembered: drawings repeat their colours)."""
    if PLAIN_VALUE.fullmatch(value):
        return True
    return value_ok(tinycss2.parse_component_value_list(value), strings)


@lru_cache(maxsize=4096)
def style_attribute(value: str) -> tuple[str, tuple[str, ...]]:
    """A `style=` attribute's allowed declarations, and what was dropped (remembered, like colours)."""
    removed: list[str] = []
    body = declarations(value, removed, "style")
    return body, tuple(removed)


def stylesheet(rules: list[Any], removed: list[str], depth: int = 0) -> str:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule" and _selector_ok(rule.prelude):
            body = declarations(rule.content, removed, "<style>")
            if body:
                out.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{body}}}")
        elif (
            rule.type == "at-rule"
            and rule.lower_at_keyword == "media"
            and rule.content is not None
            and depth < MAX_NESTING
            and value_ok(rule.prelude, False)
        ):
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            body = stylesheet(inner, removed, depth + 1)
            if body:
                out.append(f"@media {tinycss2.serialize(rule.prelude).strip()}{{{body}}}")
        elif rule.type == "at-rule":
            removed.append(f"<style>: @{rule.lower_at_keyword}")
        else:
            removed.append(f"<style>: {rule.type}")
    return "\n".join(out)
