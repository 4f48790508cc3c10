"""Checks a rendered site the way a browser, a link checker and an accessibility audit would."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import html5lib

from bgpub.render.components import ComponentLibrary, load_library
from bgpub.render.plan import BuildInfo
from bgpub.render.site import render_site
from bgpub.render.themes import ThemeSet, load_themes
from bgpub.snapshot import ProjectSnapshot

REPOSITORY = Path(__file__).resolve().parents[2]
COMPONENTS_DIR = REPOSITORY / "components"
THEMES_DIR = REPOSITORY / "themes"
SITES_DIR = REPOSITORY / "sites"
THEME_NAMES = ("aurora", "midnight", "terracotta")


def library() -> ComponentLibrary:
    return load_library([COMPONENTS_DIR])


def themes() -> ThemeSet:
    return load_themes([THEMES_DIR])


def render(
    snapshot: ProjectSnapshot,
    theme: str,
    blobs: Callable[[str], bytes],
    base_url: str = "",
) -> dict[str, bytes]:
    """The whole site of `snapshot` in `theme`, through the renderer's public function."""
    return render_site(
        dataclasses.replace(snapshot, theme=theme),
        library(),
        themes(),
        blobs,
        BuildInfo(base_url=base_url),
    )


def load_starter(name: str) -> tuple[ProjectSnapshot, Callable[[str], bytes]]:
    folder = SITES_DIR / name
    snapshot = ProjectSnapshot.from_json((folder / "project.json").read_bytes())
    return snapshot, lambda digest: (folder / "blobs" / digest).read_bytes()


def parse_strict(html: bytes) -> Element:
    """Parses like a conforming HTML5 parser and fails on any parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(html)


def _text(element: Element) -> str:
    return "".join(element.itertext()).strip()


def ids_of(tree: Element) -> list[str]:
    return [el.get("id") for el in tree.iter() if el.get("id")]


def a11y_problems(tree: Element) -> list[str]:
    """What an automated accessibility audit of one page finds (empty when the page passes)."""
    problems = []
    html = tree if tree.tag == "html" else tree.find(".//html")
    if html is None or not (html.get("lang") or "").strip():
        problems.append("<html> has no lang")
    h1s = [el for el in tree.iter("h1")]
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} h1 elements (want exactly one)")
    for tag in ("header", "main", "footer"):
        if tree.find(f".//body/{tag}") is None:
            problems.append(f"no top-level <{tag}> landmark")
    ids = ids_of(tree)
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids {duplicates}")
    known = set(ids)
    skip = tree.find(".//a[@class='skip-link']")
    if skip is None or skip.get("href", "")[1:] not in known:
        problems.append("skip link missing or pointing nowhere")
    for img in tree.iter("img"):
        if img.get("alt") is None:
            problems.append(f"img {img.get('src')} has no alt attribute")
    labels = {label.get("for") for label in tree.iter("label")}
    for tag in ("input", "textarea", "select"):
        for field in tree.iter(tag):
            if field.get("type") in ("hidden", "submit", "button"):
                continue
            if field.get("id") not in labels and not field.get("aria-label"):
                problems.append(f"<{tag} name={field.get('name')}> has no label")
    for link in tree.iter("a"):
        if (
            not _text(link)
            and not link.get("aria-label")
            and link.get("aria-hidden") != "true"
            and not any((img.get("alt") or "").strip() for img in link.iter("img"))
        ):
            problems.append(f"link to {link.get('href')} has no text")
    for button in tree.iter("button"):
        if not _text(button):
            problems.append("button without text")
    for el in tree.iter():
        for ref in (el.get("aria-labelledby") or "").split():
            if ref not in known:
                problems.append(f"aria-labelledby points to missing id {ref}")
    levels = [
        int(el.tag[1]) for el in tree.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
    ]
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level jumps from h{before} to h{after}")
    return problems


def output_path(url_path: str) -> str:
    """The output file a site-relative URL path resolves to (clean URLs)."""
    path = unquote(url_path).lstrip("/")
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path


def broken_links(files: dict[str, bytes], trees: dict[str, Element], prefix: str = "") -> list[str]:
    """Every internal href/src (and #fragment) that does not resolve to an output file (or id).

    `prefix` is the site's base path (`/docs`): every site-relative link must start with it."""
    ids = {path: set(ids_of(tree)) for path, tree in trees.items()}
    broken = []
    for page, tree in trees.items():
        for el in tree.iter():
            for attr in ("href", "src"):
                target = el.get(attr)
                if target is None or target.startswith(
                    ("data:", "mailto:", "tel:", "http://", "https://")
                ):
                    continue
                parts = urlsplit(target)
                if target.startswith("#"):
                    dest = page
                elif target.startswith(prefix + "/"):
                    dest = output_path(parts.path[len(prefix) :])
                else:
                    broken.append(f"{page}: link {target!r} is relative or outside {prefix or '/'}")
                    continue
                if dest not in files:
                    broken.append(f"{page}: {target} -> missing {dest}")
                elif parts.fragment and parts.fragment not in ids.get(dest, set()):
                    broken.append(f"{page}: {target} -> no id {parts.fragment!r} in {dest}")
    return broken


def html_pages(files: dict[str, bytes]) -> dict[str, Element]:
    return {path: parse_strict(data) for path, data in files.items() if path.endswith(".html")}


def relative_luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# Foreground/background token pairs the themes and components actually draw text with.
TEXT_PAIRS = (
    ("color-text", "color-bg"),
    ("color-text", "color-surface"),
    ("color-muted", "color-bg"),
    ("color-muted", "color-surface"),
    ("color-primary", "color-bg"),
    ("color-primary", "color-surface"),
    ("color-primary-contrast", "color-primary"),
)
