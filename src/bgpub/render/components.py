"""Component manifests (`components/<key>/component.toml`), their prop schemas and prop validation."""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bgpub.domain.locations import Location, Where, item_at, prop_at
from bgpub.errors import InvalidInput, RenderError
from bgpub.render.paths import components_dirs
from bgpub.render.urls import url_problem

PROP_TYPES = ("text", "multiline", "markdown", "url", "asset", "number", "boolean", "choice", "list")
REGIONS = ("header", "main", "footer")
SITE_DATA = ("nav", "posts", "products")
ASSET_TYPES = ("IMAGE", "VIDEO", "DOCUMENT", "FONT", "ICON")  # bgpub.db.enums.AssetType (render imports no db)
COMPONENT_TYPES = ("LAYOUT", "NAVIGATION", "CONTENT", "MEDIA", "COMMERCE", "FORM", "BLOG", "SOCIAL")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NAMES: dict[int, tuple[tuple, frozenset[str]]] = {}  # prop names of a schema, by the schema's identity
_PROP_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters other than \t \n \r
_EMPTY = {"text": "", "multiline": "", "markdown": "", "url": "", "asset": None, "number": None,
          "boolean": False, "choice": None, "list": []}


@dataclass(frozen=True)
class PropSpec:
    """One prop of a component: its name, type and limits (a list prop carries its items' fields)."""

    name: str
    type: str
    required: bool = False
    default: Any = None
    help: str = ""
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    fields: tuple[PropSpec, ...] = ()
    min_items: int | None = None
    max_items: int | None = None
    accept: tuple[str, ...] = ()  # asset props: the asset types allowed (AssetType names)

    def default_value(self) -> Any:
        if self.default is not None:
            return list(self.default) if isinstance(self.default, list) else self.default
        if self.type == "choice" and self.choices:
            return self.choices[0]
        empty = _EMPTY[self.type]
        return [] if self.type == "list" else empty


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
        return "".join(f"/* {c.key} */\n{c.style.rstrip()}\n" for c in self._by_key.values() if c.style.strip())


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
    props = tuple(_read_prop(p, f"{where}, prop {p.get('name', '?')}", nested=False)
                  for p in data.get("props", ()))
    template = manifest.parent / "template.html"
    if not template.is_file():
        raise RenderError("missing template.html", where=str(manifest.parent))
    source = template.read_text("utf-8")
    style_path = manifest.parent / "style.css"
    style = style_path.read_text("utf-8") if style_path.is_file() else ""
    digest = hashlib.sha256(raw + b"\0" + source.encode() + b"\0" + style.encode()).hexdigest()
    return ComponentSpec(key=key, name=str(data.get("name", key)), type=str(data.get("type", "CONTENT")),
                         region=region, description=str(data.get("description", "")), uses=uses,
                         props=props, directory=manifest.parent, template_source=source, style=style,
                         fingerprint=digest)


def _read_prop(data: dict[str, Any], where: str, nested: bool) -> PropSpec:
    kind = data.get("type")
    if kind not in PROP_TYPES or (nested and kind == "list"):
        raise RenderError(f"unknown prop type {kind!r}", where=where)
    if not isinstance(data.get("name"), str) or not _PROP_NAME.match(data["name"]):
        raise RenderError("every prop needs a name of [a-z0-9_] starting with a letter", where=where)
    fields = tuple(_read_prop(f, f"{where}.{f.get('name', '?')}", nested=True) for f in data.get("fields", ()))
    if kind == "list" and not fields:
        raise RenderError("a list prop needs [[props.fields]]", where=where)
    if kind == "choice" and not data.get("choices"):
        raise RenderError("a choice prop needs choices", where=where)
    accept: tuple[str, ...] = ()
    if kind == "asset":
        raw_accept = data.get("accept", ["image"])
        if not isinstance(raw_accept, list) or not raw_accept or not all(
                isinstance(a, str) and a.upper() in ASSET_TYPES for a in raw_accept):
            raise RenderError(f"accept must list asset types ({', '.join(t.lower() for t in ASSET_TYPES)})",
                              where=where)
        accept = tuple(a.upper() for a in raw_accept)
    return PropSpec(name=data["name"], type=kind, required=bool(data.get("required", False)),
                    default=data.get("default"), help=str(data.get("help", "")),
                    max_length=data.get("max_length"), choices=tuple(data.get("choices", ())),
                    min=data.get("min"), max=data.get("max"), fields=fields,
                    min_items=data.get("min_items"), max_items=data.get("max_items"), accept=accept)


def block_where(project: str, page: str, position: int, component: str) -> Location:
    """The place of a block: `project demo, page about, block 3 (hero)` when printed (1-based)."""
    return Location(project, page, position, component)


def resolve_component(library: ComponentLibrary, key: str, where: Where,
                      saved_components: Iterable[Any] = ()) -> tuple[ComponentSpec, dict[str, Any]]:
    """The library spec behind `key` and the saved component's defaults (empty for library keys)."""
    if key in library:
        return library[key], {}
    for saved in saved_components:
        if saved.key == key:
            if saved.base not in library:
                raise InvalidInput(f"saved component {key!r} is based on unknown component {saved.base!r}",
                                   where=where)
            return library[saved.base], dict(saved.defaults)
    raise InvalidInput(f"unknown component {key!r}", where=where)


def validate_props(library: ComponentLibrary, component_key: str, props: Mapping[str, Any], where: Where,
                   saved_components: Iterable[Any] = (), *,
                   assets: Iterable[str] | Mapping[str, str] | None = None) -> dict[str, Any]:
    """Checks props against the component's schema and returns them with defaults applied.

    `where` names the block (see `block_where`); errors add `, prop NAME`. A saved component's
    defaults fill props the block leaves out. When `assets` (the snapshot's asset names) is given,
    asset props must name one of them (the render-time check); when it maps names to asset types,
    an asset prop also refuses an asset whose type the prop does not `accept` (images by default).
    """
    spec, saved_defaults = resolve_component(library, component_key, where, saved_components)
    if not isinstance(props, Mapping):
        raise InvalidInput(f"props must be an object, got {type(props).__name__}", where=where)
    if assets is None or isinstance(assets, Mapping):
        known_assets = assets
    else:
        known_assets = frozenset(assets)
    return _check_fields(spec.props, {**saved_defaults, **props}, where, known_assets)


def _check_fields(specs: tuple[PropSpec, ...], values: Mapping[str, Any], where: Where,
                  assets: AbstractSet[str] | Mapping[str, str] | None) -> dict[str, Any]:
    names = _NAMES.get(id(specs))
    if names is None or names[0] is not specs:
        names = _NAMES[id(specs)] = (specs, frozenset(s.name for s in specs))
    names = names[1]
    unknown = () if values.keys() <= names else sorted(set(values) - names)
    if unknown:
        raise InvalidInput(f"unknown prop (known: {', '.join(sorted(names)) or 'none'})",
                           where=prop_at(where, unknown[0]))
    result: dict[str, Any] = {}
    for spec in specs:
        here = prop_at(where, spec.name)
        value = values.get(spec.name)
        if value is None:
            if spec.default is None:
                if spec.required:
                    raise InvalidInput("required prop is missing", where=here)
                result[spec.name] = spec.default_value()
                continue
            value = spec.default_value()  # a manifest default satisfies a required prop
        result[spec.name] = _check_value(spec, value, here, assets)
    return result


def _refuse_control(value: str, where: Where) -> None:
    """NUL and other control characters break PostgreSQL's JSONB and mean nothing in a page."""
    found = _CONTROL.search(value)
    if found:
        raise InvalidInput(f"contains a control character (U+{ord(found.group()):04X}); only tab and "
                           "line breaks are allowed", where=where)


def _type_error(spec: PropSpec, expected: str, value: Any, where: Where) -> InvalidInput:
    return InvalidInput(f"{spec.type} prop expects {expected}, got {type(value).__name__}", where=where)


def _check_value(spec: PropSpec, value: Any, where: Where, assets: AbstractSet[str] | Mapping[str, str] | None) -> Any:
    kind = spec.type
    if kind in ("text", "multiline", "markdown", "url", "choice", "asset"):
        if not isinstance(value, str):
            raise _type_error(spec, "a string", value, where)
        if spec.required and not value.strip():
            raise InvalidInput("required prop is empty", where=where)
    if kind in ("text", "multiline", "markdown"):
        if kind == "text" and ("\n" in value or "\r" in value):
            raise InvalidInput("text prop must be a single line (use multiline)", where=where)
        _refuse_control(value, where)
        if spec.max_length is not None and len(value) > spec.max_length:
            raise InvalidInput(f"longer than {spec.max_length} characters ({len(value)})", where=where)
        return value
    if kind == "url":
        _refuse_control(value, where)
        if value and (problem := url_problem(value)):
            raise InvalidInput(problem, where=where)
        return value
    if kind == "choice":
        if value not in spec.choices:
            raise InvalidInput(f"{value!r} is not one of {', '.join(spec.choices)}", where=where)
        return value
    if kind == "asset":
        if not value:
            return None
        if assets is not None and value not in assets:
            raise InvalidInput(f"asset {value!r} does not exist in this project", where=where)
        if isinstance(assets, Mapping) and spec.accept and str(assets[value]).upper() not in spec.accept:
            wanted = " or ".join(a.lower() for a in spec.accept)
            raise InvalidInput(f"asset {value!r} is a {str(assets[value]).lower()}; this prop accepts "
                               f"{wanted} assets only", where=where)
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or (
                isinstance(value, float) and not math.isfinite(value)):
            raise _type_error(spec, "a number", value, where)
        if spec.min is not None and value < spec.min:
            raise InvalidInput(f"{value} is below the minimum {spec.min}", where=where)
        if spec.max is not None and value > spec.max:
            raise InvalidInput(f"{value} is above the maximum {spec.max}", where=where)
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _type_error(spec, "true or false", value, where)
        return value
    # list
    if not isinstance(value, list):
        raise _type_error(spec, "a list", value, where)
    if spec.min_items is not None and len(value) < spec.min_items:
        raise InvalidInput(f"needs at least {spec.min_items} items", where=where)
    if spec.max_items is not None and len(value) > spec.max_items:
        raise InvalidInput(f"allows at most {spec.max_items} items", where=where)
    items = []
    for index, item in enumerate(value, start=1):
        here = item_at(where, index)
        if not isinstance(item, Mapping):
            raise InvalidInput(f"list item must be an object, got {type(item).__name__}", where=here)
        items.append(_check_fields(spec.fields, item, here, assets))
    return items
