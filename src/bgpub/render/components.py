"""Component manifests (`components/<key>/component.toml`), their prop schemas and prop validation."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bgpub.domain.locations import Location, Where
from bgpub.domain.props import PROP_TYPES, PropSpec, check_fields
from bgpub.errors import InvalidInput, RenderError
from bgpub.render.paths import components_dirs

__all__ = [
    "PROP_TYPES",
    "ComponentLibrary",
    "ComponentSpec",
    "PropSpec",
    "block_where",
    "load_library",
    "resolve_component",
    "validate_props",
]

REGIONS = ("header", "main", "footer")
SITE_DATA = ("nav", "posts", "products")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class ComponentSpec:
    """A library component: manifest data plus its template and optional structural CSS."""

    key: str
    name: str
    type: str
    region: str
    description: str
    uses: tuple[str, ...]
    props: tuple[PropSpec, ...]
    directory: Path
    template_source: str
    style: str
    fingerprint: str  # sha256 of manifest, template and CSS: changes when any of them does

    @property
    def template_path(self) -> Path:
        return self.directory / "template.html"

    def prop(self, name: str) -> PropSpec | None:
        return next((p for p in self.props if p.name == name), None)


class ComponentLibrary(Mapping[str, ComponentSpec]):
    """The loaded components by key (a read-only mapping)."""

    def __init__(self, components: Iterable[ComponentSpec] = ()):
        self._by_key = {c.key: c for c in sorted(components, key=lambda c: c.key)}

    def __getitem__(self, key: str) -> ComponentSpec:
        return self._by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)

    def stylesheet(self) -> str:
        """Every component's CSS, sorted by key, for the site stylesheet."""
        return "".join(
            f"/* {c.key} */\n{c.style.rstrip()}\n" for c in self._by_key.values() if c.style.strip()
        )


def load_library(dirs: Iterable[str | Path] | None = None) -> ComponentLibrary:
    """Reads every `<dir>/<key>/component.toml`; an earlier directory wins over a later one."""
    found: dict[str, ComponentSpec] = {}
    for base in [Path(d) for d in (components_dirs() if dirs is None else dirs)]:
        if not base.is_dir():
            continue
        for manifest in sorted(base.glob("*/component.toml")):
            spec = _read_component(manifest)
            found.setdefault(spec.key, spec)
    return ComponentLibrary(found.values())


_READ: dict[str, tuple[bytes, str, str, ComponentSpec]] = {}  # manifest path -> (its files, spec)


def _read_component(manifest: Path) -> ComponentSpec:
    """A component's spec; parsed again only when one of its three files changed (a running process
    loads the library before each build)."""
    raw = manifest.read_bytes()
    template = manifest.parent / "template.html"
    style_path = manifest.parent / "style.css"
    try:
        source = template.read_text("utf-8")
        style = style_path.read_text("utf-8") if style_path.is_file() else ""
    except OSError:
        return _parse_component(manifest, raw)
    known = _READ.get(str(manifest))
    if known is not None and known[:3] == (raw, source, style):
        return known[3]
    spec = _parse_component(manifest, raw)
    _READ[str(manifest)] = (raw, spec.template_source, spec.style, spec)
    return spec


def _parse_component(manifest: Path, raw: bytes) -> ComponentSpec:
    where = str(manifest)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RenderError(f"malformed manifest: {exc}", where=where) from exc
    key = data.get("key", manifest.parent.name)
    if key != manifest.parent.name or not _KEY.match(str(key)):
        raise RenderError(f"key {key!r} must equal the folder name and use [a-z0-9-]", where=where)
    region = data.get("region", "main")
    if region not in REGIONS:
        raise RenderError(f"region {region!r} is not one of {', '.join(REGIONS)}", where=where)
    uses = tuple(data.get("uses", ()))
    if any(u not in SITE_DATA for u in uses):
        raise RenderError(f"uses may name only {', '.join(SITE_DATA)}", where=where)
    props = tuple(
        PropSpec.from_manifest(
            p, f"{where}, prop {p.get('name', '?') if isinstance(p, Mapping) else '?'}"
        )
        for p in data.get("props", ())
    )
    template = manifest.parent / "template.html"
    if not template.is_file():
        raise RenderError("missing template.html", where=str(manifest.parent))
    source = template.read_text("utf-8")
    style_path = manifest.parent / "style.css"
    style = style_path.read_text("utf-8") if style_path.is_file() else ""
    digest = hashlib.sha256(raw + b"\0" + source.encode() + b"\0" + style.encode()).hexdigest()
    return ComponentSpec(
        key=key,
        name=str(data.get("name", key)),
        type=str(data.get("type", "CONTENT")),
        region=region,
        description=str(data.get("description", "")),
        uses=uses,
        props=props,
        directory=manifest.parent,
        template_source=source,
        style=style,
        fingerprint=digest,
    )


def block_where(project: str, page: str, position: int, component: str) -> Location:
    """The place of a block: `project demo, page about, block 3 (hero)` when printed (1-based)."""
    return Location(project, page, position, component)


def resolve_component(
    library: ComponentLibrary, key: str, where: Where, saved_components: Iterable[Any] = ()
) -> tuple[ComponentSpec, dict[str, Any]]:
    """The library spec behind `key` and the saved component's defaults (empty for library keys)."""
    if key in library:
        return library[key], {}
    for saved in saved_components:
        if saved.key == key:
            if saved.base not in library:
                raise InvalidInput(
                    f"saved component {key!r} is based on unknown component {saved.base!r}",
                    where=where,
                )
            return library[saved.base], dict(saved.defaults)
    raise InvalidInput(f"unknown component {key!r}", where=where)


def validate_props(
    library: ComponentLibrary,
    component_key: str,
    props: Mapping[str, Any],
    where: Where,
    saved_components: Iterable[Any] = (),
    *,
    assets: Iterable[str] | Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Checks props against the component's schema and returns them with defaults applied.

    `where` names the block (see `block_where`); errors add `, prop NAME`. A saved component's
    defaults fill props the block leaves out. When `assets` (the snapshot's asset names) is given,
    asset props must name one of them (the render-time check); when it maps names to asset types,
    an asset prop also refuses an asset whose type the prop does not `accept` (images by default).
    """
    spec, saved_defaults = resolve_component(library, component_key, where, saved_components)
    if not isinstance(props, Mapping):
        raise InvalidInput(f"props must be an object, got {type(props).__name__}", where=where)
    known_assets: Mapping[str, str] | frozenset[str] | None
    if assets is None or isinstance(assets, Mapping):
        known_assets = assets
    else:
        known_assets = frozenset(assets)
    return check_fields(spec.props, {**saved_defaults, **props}, where, known_assets)
