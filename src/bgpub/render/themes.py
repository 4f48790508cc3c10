"""Themes (`themes/<name>/theme.toml`): design tokens, parent themes and safe project token overrides."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bgpub.errors import InvalidInput, RenderError
from bgpub.render.fonts import ThemeFont, read_fonts
from bgpub.render.paths import themes_dirs

TOKENS = (
    "color-bg",
    "color-surface",
    "color-text",
    "color-muted",
    "color-primary",
    "color-primary-contrast",
    "color-border",
    "font-body",
    "font-heading",
    "space",
    "radius",
    "max-width",
)
_TOKEN_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_NUMBER = r"-?(?:\d+(?:\.\d+)?|\.\d+)"
_LENGTH = re.compile(rf"^(?:0|{_NUMBER}(?:px|rem|em|%|vw|vh|ch|ex|pt))$")
_COLOR_FN = re.compile(
    rf"^(?:rgb|rgba|hsl|hsla)\(\s*{_NUMBER}(?:deg|%)?(?:\s*[,/ ]\s*{_NUMBER}%?){{2,3}}\s*\)$"
)
_NAMED = re.compile(r"^[a-zA-Z]{3,20}$")
_FONT = re.compile(r"""^(?:"[A-Za-z0-9 \-]+"|'[A-Za-z0-9 \-]+'|[A-Za-z][A-Za-z0-9 \-]*)$""")
_CALC = re.compile(r"^(?:calc|min|max|clamp)\([0-9a-z%.,+*/ ()\-]+\)$")


def token_problem(value: object) -> str | None:
    """Why a token value is refused, or None: colours, lengths and font stacks only, so no CSS injection."""
    if not isinstance(value, str):
        return f"a token value must be a string, got {type(value).__name__}"
    text = value.strip()
    if not text or len(text) > 200:
        return "a token value must be 1 to 200 characters"
    if _HEX.match(text) or _LENGTH.match(text) or _COLOR_FN.match(text) or _NAMED.match(text):
        return None
    if _CALC.match(text) and "url" not in text and "expression" not in text:
        return None
    if all(_FONT.match(part.strip()) for part in text.split(",")):
        return None
    return f"{value!r} is not a colour, a length or a font stack"


@dataclass(frozen=True)
class Theme:
    """One theme folder: its tokens, its templates folder and its CSS."""

    name: str
    label: str
    description: str
    parent: str | None
    tokens: dict[str, str]
    directory: Path
    css: str
    fingerprint: (
        str  # sha256 over theme.toml, CSS and every template: changes when any of them does
    )
    templates: dict[str, str] = field(default_factory=dict)  # relative path -> source
    fonts: tuple[ThemeFont, ...] = ()  # web fonts it ships (`[[fonts]]`; none: system font stacks)
    image_widths: tuple[
        int, ...
    ] = ()  # `[images] widths`: rendition widths (none: the parent's or defaults)

    @property
    def templates_dir(self) -> Path:
        return self.directory / "templates"


class ThemeSet(Mapping[str, Theme]):
    """The loaded themes by name, with parent resolution."""

    def __init__(self, themes: Iterable[Theme] = ()):
        self._by_name = {t.name: t for t in sorted(themes, key=lambda t: t.name)}

    def __getitem__(self, name: str) -> Theme:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def chain(self, name: str, where: str = "theme") -> list[Theme]:
        """The theme then its parents, nearest first."""
        chain: list[Theme] = []
        current: str | None = name
        while current is not None:
            if current not in self._by_name:
                missing = (
                    "unknown theme"
                    if current == name
                    else f"unknown parent theme of {chain[-1].name}:"
                )
                raise RenderError(
                    f"{missing} {current!r} (known: {', '.join(self._by_name) or 'none'})",
                    where=where,
                )
            if any(t.name == current for t in chain):
                raise RenderError(f"theme parents form a loop at {current!r}", where=where)
            chain.append(self._by_name[current])
            current = chain[-1].parent
        return chain

    def tokens(
        self, name: str, overrides: Mapping[str, str] | None = None, where: str = "theme"
    ) -> dict[str, str]:
        """Tokens of the theme over its parents, then the project's overrides (validated)."""
        merged: dict[str, str] = {}
        for theme in reversed(self.chain(name, where)):
            merged.update(theme.tokens)
        validate_overrides(overrides or {}, where)
        merged.update(overrides or {})
        return merged

    def stylesheet(
        self, name: str, overrides: Mapping[str, str] | None = None, where: str = "theme"
    ) -> str:
        """`:root{...}` from the tokens, then parent CSS, then the theme's own CSS."""
        tokens = self.tokens(name, overrides, where)
        root = ":root{" + "".join(f"--{k}:{v.strip()};" for k, v in sorted(tokens.items())) + "}\n"
        return root + "".join(
            t.css.rstrip() + "\n" for t in reversed(self.chain(name, where)) if t.css.strip()
        )


def validate_overrides(overrides: Mapping[str, object], where: str) -> None:
    """A project's token overrides: known-looking names, values that cannot break out of CSS."""
    if not isinstance(overrides, Mapping):
        raise InvalidInput("theme overrides must be an object of token: value", where=where)
    for name, value in overrides.items():
        if not isinstance(name, str) or not _TOKEN_NAME.match(name):
            raise InvalidInput(f"bad token name {name!r}", where=f"{where}, token {name}")
        problem = token_problem(value)
        if problem:
            raise InvalidInput(problem, where=f"{where}, token {name}")


def load_themes(dirs: Iterable[str | Path] | None = None) -> ThemeSet:
    """Reads every `<dir>/<name>/theme.toml`; an earlier directory wins over a later one."""
    found: dict[str, Theme] = {}
    for base in [Path(d) for d in (themes_dirs() if dirs is None else dirs)]:
        if not base.is_dir():
            continue
        for manifest in sorted(base.glob("*/theme.toml")):
            theme = _read_theme(manifest)
            found.setdefault(theme.name, theme)
    return ThemeSet(found.values())


def _read_theme(manifest: Path) -> Theme:
    where = str(manifest)
    raw = manifest.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RenderError(f"malformed theme manifest: {exc}", where=where) from exc
    name = data.get("name", manifest.parent.name)
    tokens = data.get("tokens", {})
    if not isinstance(tokens, dict):
        raise RenderError("[tokens] must be a table", where=where)
    for key, value in tokens.items():
        if problem := token_problem(value):
            raise RenderError(problem, where=f"{where}, token {key}")
    directory = manifest.parent
    css_path = directory / "static" / "style.css"
    css = css_path.read_text("utf-8") if css_path.is_file() else ""
    templates: dict[str, str] = {}
    digest = hashlib.sha256(raw + b"\0" + css.encode())
    for sub in ("templates", "components"):
        root = directory / sub
        if root.is_dir():
            for path in sorted(root.rglob("*.html")):
                rel = path.relative_to(directory).as_posix()
                templates[rel] = path.read_text("utf-8")
                digest.update(rel.encode() + b"\0" + templates[rel].encode() + b"\0")
    fonts = read_fonts(directory, data.get("fonts"), where)
    for font in fonts:
        for script, blob in sorted(font.files.items()):
            digest.update(
                f"font {font.family} {font.weight} {font.preload} {script}".encode()
                + hashlib.sha256(blob).digest()
                + hashlib.sha256(font.licence).digest()
            )
    return Theme(
        name=name,
        label=str(data.get("label", name)),
        description=str(data.get("description", "")),
        parent=data.get("parent"),
        tokens={k: str(v) for k, v in tokens.items()},
        directory=directory,
        css=css,
        fingerprint=digest.hexdigest(),
        templates=templates,
        fonts=fonts,
        image_widths=_image_widths(data.get("images"), where),
    )


def _image_widths(table: object, where: str) -> tuple[int, ...]:
    """`[images] widths = [...]` of a theme.toml, checked; () when the theme declares none."""
    from bgpub.render.images import parse_widths

    if table is None:
        return ()
    if not isinstance(table, dict) or set(table) - {"widths"}:
        raise RenderError("[images] may only set widths", where=f"{where}, images")
    return parse_widths(table["widths"], f"{where}, images, widths") if "widths" in table else ()
