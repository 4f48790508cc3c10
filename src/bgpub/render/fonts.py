"""The fonts a theme ships: which faces a site needs, their `@font-face` CSS, preloads and files.

A theme lists its web fonts in `theme.toml` (`[[fonts]]`: family, one WOFF2 file per script, the
licence beside them); the files are read with the theme, before any render. A site gets only the
families its resolved `font-body`/`font-heading` tokens name (a project that overrides a token with a
system stack ships nothing for it), and of those only the scripts its language needs, each file
subset by `bgpub.render.fontsubset` to that script's character ranges. Output names carry a hash of
(source bytes, ranges, subsetter version), so they are known without subsetting and a file whose name
is already stored is never made again. An entry marked `prepared = true` ships files that are those
subsets already (`bgpub theme prepare-fonts` makes them when a theme is released): they are copied
byte for byte and named by the hash of their bytes alone, so a cold build runs no fontTools at all
and the output does not depend on the installed fontTools. A theme with no `[[fonts]]` uses the
system stacks its tokens name (see docs/themes.md).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bgpub.errors import RenderError

# fontsource's script ranges (what each shipped file covers)
SCRIPTS: dict[str, str] = {
    "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,"
    "U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
    "latin-ext": "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,"
    "U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,"
    "U+A720-A7FF",
    "cyrillic": "U+0301,U+0400-045F,U+0490-0491,U+04B0-04B1,U+2116",
    "greek": "U+0370-0377,U+037A-037F,U+0384-038A,U+038C,U+038E-03A1,U+03A3-03FF",
}
# the scripts a language's text needs (primary subtag); latin always, for names, code and URLs
LATIN_EXT = (
    "az",
    "cs",
    "cy",
    "et",
    "eo",
    "ga",
    "hr",
    "hu",
    "lt",
    "lv",
    "mt",
    "pl",
    "ro",
    "sk",
    "sl",
    "sq",
    "tr",
    "vi",
    "bs",
    "ku",
    "se",
)
LATIN_ONLY = (
    "en",
    "de",
    "fr",
    "es",
    "it",
    "nl",
    "pt",
    "ca",
    "da",
    "nb",
    "nn",
    "no",
    "sv",
    "fi",
    "is",
    "fo",
    "gl",
    "eu",
    "af",
    "id",
    "ms",
    "sw",
    "la",
    "lb",
    "rm",
    "oc",
    "br",
    "fy",
)
CYRILLIC = ("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn", "tg")
_FAMILY = re.compile(r"^[A-Za-z][A-Za-z0-9 \-]{0,60}$")
_FILE = re.compile(r"^fonts/[a-z0-9][a-z0-9/_\-]*(\.[a-z0-9_\-]+)*\.woff2$")
_LICENCE = re.compile(r"^fonts/[A-Za-z0-9][A-Za-z0-9/_\-]*(\.[A-Za-z0-9_\-]+)*\.txt$")


def language_scripts(language: str) -> tuple[str, ...]:
    """`pl-PL` -> ('latin', 'latin-ext'); an unknown language gets both Latin files."""
    primary = (language or "en").split("-")[0].split("_")[0].lower()
    if primary in LATIN_ONLY:
        return ("latin",)
    if primary in CYRILLIC:
        return ("latin", "cyrillic")
    if primary == "el":
        return ("latin", "greek")
    return ("latin", "latin-ext")  # LATIN_EXT languages, and any language not listed


@dataclass(frozen=True)
class ThemeFont:
    """One family as a theme ships it: a variable (or single-weight) WOFF2 per script."""

    family: str
    weight: str  # CSS font-weight: "400" or a variable range "100 900"
    style: str
    preload: bool
    files: dict[str, bytes]  # script -> WOFF2 bytes
    stems: dict[str, str]  # script -> output name stem (e.g. inter-latin)
    licence: bytes  # the licence text, published beside the fonts (the OFL asks for it)
    prepared: bool = False  # files are already their script's subsets: shipped as they are


@dataclass(frozen=True)
class FontFile:
    """One output font: a subset of `source` to `ranges`, written at `path`."""

    path: str
    url: str
    source: bytes
    ranges: str
    family: str
    script: str
    prepared: bool = False

    def data(self, subset: Callable[[bytes, str], bytes]) -> bytes:
        """The output bytes: a prepared file as shipped (it is the subset already), else `subset`'s."""
        return self.source if self.prepared else subset(self.source, self.ranges)


@dataclass
class FontPlan:
    """What a site ships: `@font-face` CSS, the preload URLs and the font files by output path."""

    css: str = ""
    preload: list[str] = field(default_factory=list)
    files: dict[str, FontFile] = field(default_factory=dict)
    families: list[str] = field(default_factory=list)
    licences: dict[str, bytes] = field(default_factory=dict)  # output path -> licence text
    theme_color: str = ""


def read_fonts(directory: Path, entries: Any, where: str) -> tuple[ThemeFont, ...]:
    """The `[[fonts]]` of a theme.toml, with their files read (nothing outside `fonts/`)."""
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise RenderError("[[fonts]] must be an array of tables", where=where)
    fonts = []
    for n, entry in enumerate(entries, start=1):
        at = f"{where}, fonts {n}"
        if not isinstance(entry, dict):
            raise RenderError("each [[fonts]] entry must be a table", where=at)
        family = entry.get("family")
        if not isinstance(family, str) or not _FAMILY.match(family):
            raise RenderError(f"family {family!r} must be a plain font name", where=at)
        weight = str(entry.get("weight", "400"))
        if not re.fullmatch(r"[1-9]00( [1-9]00)?", weight):
            raise RenderError(f"weight {weight!r} must be like 400 or '100 900'", where=at)
        style = str(entry.get("style", "normal"))
        if style not in ("normal", "italic"):
            raise RenderError("style must be normal or italic", where=at)
        files_spec = entry.get("files")
        if not isinstance(files_spec, dict) or "latin" not in files_spec:
            raise RenderError("files must map scripts to WOFF2 files and include latin", where=at)
        files: dict[str, bytes] = {}
        stems: dict[str, str] = {}
        for script, rel in files_spec.items():
            if script not in SCRIPTS:
                raise RenderError(
                    f"unknown script {script!r} (known: {', '.join(SCRIPTS)})", where=at
                )
            if not isinstance(rel, str) or not _FILE.match(rel) or ".." in rel:
                raise RenderError(f"font file {rel!r} must be a .woff2 under fonts/", where=at)
            path = directory / rel
            if not path.is_file():
                raise RenderError(f"font file {rel} does not exist", where=at)
            files[script] = path.read_bytes()
            stems[script] = re.sub(r"[^a-z0-9-]+", "-", Path(rel).stem.lower())
        prepared = entry.get("prepared", False)
        if not isinstance(prepared, bool):
            raise RenderError(f"prepared must be true or false, not {prepared!r}", where=at)
        licence = entry.get("licence")
        if (
            not isinstance(licence, str)
            or not _LICENCE.match(licence)
            or not (directory / licence).is_file()
        ):
            raise RenderError("licence must name the font's licence file under fonts/", where=at)
        fonts.append(
            ThemeFont(
                family,
                weight,
                style,
                bool(entry.get("preload", False)),
                files,
                stems,
                (directory / licence).read_bytes(),
                prepared,
            )
        )
    return tuple(fonts)


def stack_families(stack: str) -> list[str]:
    """`'"Plus Jakarta Sans", Inter, sans-serif'` -> ['Plus Jakarta Sans', 'Inter', 'sans-serif']."""
    return [part.strip().strip("\"'").strip() for part in (stack or "").split(",") if part.strip()]


def _parse_ranges(text: str) -> list[tuple[int, int]]:
    spans = []
    for part in text.split(","):
        part = part.strip().upper().removeprefix("U+")
        low, _, high = part.partition("-")
        spans.append((int(low, 16), int(high or low, 16)))
    return spans


def _format_ranges(spans: Iterable[tuple[int, int]]) -> str:
    return ",".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(spans):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def face_ranges(script: str, scripts: tuple[str, ...]) -> str:
    """The characters a face of `script` keeps for a site whose language needs `scripts`: the file's
    own coverage, less what the latin file already covers (Latin punctuation stays in latin). Every
    site ships latin, so the result depends on `script` alone: each theme file has exactly one
    possible output, which is what lets a theme ship it prepared (`prepared = true`)."""
    own = _parse_ranges(SCRIPTS[script])
    if script != "latin":
        latin = _parse_ranges(SCRIPTS["latin"])
        own = [(a, b) for a, b in own if not any(la <= a and b <= lb for la, lb in latin)]
    return _format_ranges(_merge(own))


def plan_fonts(
    chain_fonts: Iterable[tuple[ThemeFont, ...]],
    tokens: Mapping[str, str],
    language: str,
    url: Callable[[str], str],
    version: str,
) -> FontPlan:
    """The faces a site ships, nearest theme first (a child's family, all its faces, wins over its
    parent's); a family's upright and italic faces are listed as separate `[[fonts]]` entries."""
    by_family: dict[str, list[ThemeFont]] = {}
    for fonts in chain_fonts:
        own: dict[str, list[ThemeFont]] = {}
        for font in fonts:
            own.setdefault(font.family.lower(), []).append(font)
        for key, faces in own.items():
            by_family.setdefault(key, faces)
    wanted: list[str] = []
    for token in ("font-body", "font-heading"):
        for name in stack_families(tokens.get(token, "")):
            if name.lower() in by_family and name.lower() not in wanted:
                wanted.append(name.lower())
            break  # only a stack's first family is the design's; later names are fallbacks
    scripts = language_scripts(language)
    plan = FontPlan()
    rules: list[str] = []
    for key in wanted:
        plan.families.append(by_family[key][0].family)
        for font in by_family[key]:
            _plan_face(plan, rules, font, scripts, url, version)
    plan.css = "\n".join(rules) + ("\n" if rules else "")
    return plan


def _plan_face(
    plan: FontPlan,
    rules: list[str],
    font: ThemeFont,
    scripts: tuple[str, ...],
    url: Callable[[str], str],
    version: str,
) -> None:
    """One face's files (one per script the site needs), its `@font-face` rules and preloads."""
    licence_path = f"assets/fonts/{_stem(font.family)}-licence.{hashlib.sha256(font.licence).hexdigest()[:12]}.txt"
    plan.licences[licence_path] = font.licence
    for script in scripts:
        source = font.files.get(script)
        if source is None:
            continue
        ranges = face_ranges(script, scripts)
        digest = output_digest(source, ranges, version, font.prepared)
        path = f"assets/fonts/{font.stems[script]}.{digest[:12]}.woff2"
        file = FontFile(path, url("/" + path), source, ranges, font.family, script, font.prepared)
        plan.files[path] = file
        rules.append(
            "@font-face{"
            f'font-family:"{font.family}";font-style:{font.style};font-weight:{font.weight};'
            f'font-display:swap;src:url("{file.url}") format("woff2");unicode-range:{ranges}'
            "}"
        )
        if font.preload and script == "latin":
            plan.preload.append(file.url)


def output_digest(source: bytes, ranges: str, version: str, prepared: bool) -> str:
    """The hash an output font's name carries: of a prepared file's bytes alone (they are the output:
    content-addressed, whatever fontTools is installed), else of what the subset is made from."""
    if prepared:
        return hashlib.sha256(source).hexdigest()
    return hashlib.sha256(source + b"\0" + ranges.encode() + b"\0" + version.encode()).hexdigest()


def _stem(family: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", family.lower()).strip("-")


def site_fonts(
    themes: Any,
    snapshot: Any,
    chain: list[Any],
    url: Callable[[str], str],
    where: str,
    version: str,
) -> FontPlan:
    """The font plan of a snapshot in its theme (project token overrides included)."""
    from bgpub.errors import BgpubError

    try:
        tokens = themes.tokens(snapshot.theme, snapshot.theme_overrides, where=f"{where}, theme")
    except BgpubError as exc:
        raise RenderError(exc.message, where=exc.where) from exc
    plan = plan_fonts(
        [getattr(t, "fonts", ()) for t in chain], tokens, snapshot.language or "en", url, version
    )
    plan.theme_color = theme_color(tokens)
    return plan


_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl|hsla)\([0-9., %/a-z-]+\)|[a-zA-Z]{3,20})$")


def theme_color(tokens: Mapping[str, str]) -> str:
    """The browser UI colour (`<meta name="theme-color">`): the `color-theme` token, else the primary
    colour, when it is a plain colour ("" otherwise: the layout then leaves the meta out)."""
    value = (tokens.get("color-theme") or tokens.get("color-primary") or "").strip()
    return value if _COLOUR.match(value) else ""


def head_links(plan: FontPlan) -> str:
    """`<link rel=preload>` for the faces above the fold (font requests need `crossorigin`)."""
    return "".join(
        f'<link rel="preload" href="{u}" as="font" type="font/woff2" crossorigin>\n'
        for u in plan.preload
    )
