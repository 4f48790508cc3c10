"""Pure rendering: a project snapshot in, a site (path -> bytes) out; never touches the database."""

from bgpub.render.components import ComponentLibrary, block_where, load_library, validate_props
from bgpub.render.incremental import Renderer, RenderResult
from bgpub.render.plan import AssetRef, BuildInfo
from bgpub.render.site import render_site
from bgpub.render.themes import ThemeSet, load_themes, validate_overrides

__all__ = [
    "AssetRef",
    "BuildInfo",
    "ComponentLibrary",
    "RenderResult",
    "Renderer",
    "ThemeSet",
    "block_where",
    "load_library",
    "load_themes",
    "render_site",
    "validate_overrides",
    "validate_props",
]
