"""Rendering for a publish: the incremental renderer with a per-project cache, and the site's manifest.

Hashing every output of a 10,000-page site on each publish would cost more than the change, so the
manifest of the previous render is kept beside the renderer's cache and only outputs the renderer
produced anew are hashed. A marker file is present while a render runs: if a process dies between
the renderer saving its cache and the manifest being saved, the next build sees the marker and
hashes everything once instead of trusting a manifest that may be stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bgpub.publish.crashpoints import crashpoint
from bgpub.publish.folder import read_json, write_json_atomic
from bgpub.publish.manifest import Manifest, digest
from bgpub.render import BuildInfo, load_library, load_themes
from bgpub.render.components import ComponentLibrary
from bgpub.render.images import ImageProvider
from bgpub.render.pool import keep_renderer, take_renderer
from bgpub.render.themes import ThemeSet
from bgpub.snapshot import ProjectSnapshot


@dataclass
class SiteBuild:
    """A rendered site: every output (read lazily), its manifest and which outputs are new bytes."""

    files: Mapping[str, bytes]
    manifest: Manifest
    rendered: tuple[str, ...]

    def bytes_by_hash(self, hashes: set[str]) -> dict[str, bytes]:
        """The bytes of outputs with these hashes (fresh outputs are in memory already)."""
        wanted = set(hashes)
        found: dict[str, bytes] = {}
        fresh = set(self.rendered)
        for path in list(self.rendered) + [p for p in self.manifest if p not in fresh]:
            if not wanted:
                break
            sha = self.manifest[path][0]
            if sha in wanted:
                found[sha] = self.files[path]
                wanted.discard(sha)
        return found


class SiteBuilder:
    """Renders one project's snapshots into `cache_dir`, reusing the previous render."""

    def __init__(
        self,
        cache_dir: Path,
        blobs: Callable[[str], bytes],
        library: ComponentLibrary | None = None,
        themes: ThemeSet | None = None,
        images: ImageProvider | None = None,
        workers: int | None = None,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.blobs = blobs
        self.images = images  # encodes image outputs (None: in memory, in this process)
        self.library = library
        self.themes = themes
        self.workers = workers  # render processes the caller chose (None: every core)

    @property
    def _index_path(self) -> Path:
        return self.cache_dir / "manifest.json"

    @property
    def _marker(self) -> Path:
        return self.cache_dir / "rendering"

    def build(self, snapshot: ProjectSnapshot, build: BuildInfo | None = None) -> SiteBuild:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        index = None if self._marker.exists() else read_json(self._index_path)
        self._marker.touch()
        renderer = take_renderer(
            self.library or load_library(),
            self.themes or load_themes(),
            self.blobs,
            self.cache_dir / "render",
            images=self.images,
            workers=self.workers,
        )
        result = renderer.render(snapshot, build or BuildInfo())
        keep_renderer(renderer)
        crashpoint("build-rendered")
        fresh = set(result.rendered)
        manifest: Manifest = {}
        unknown = []
        for path in result.files:
            if path in fresh:
                data = result.files[path]
                manifest[path] = [digest(data), len(data)]
            elif index is not None and isinstance(index.get(path), list):
                manifest[path] = index[path]
            else:
                unknown.append(path)
        for path in unknown:  # one at a time: every output at once is GBs on a big site
            data = result.files[path]
            manifest[path] = [digest(data), len(data)]
        write_json_atomic(self._index_path, manifest)
        self._marker.unlink()
        ordered = {path: manifest[path] for path in sorted(manifest)}
        return SiteBuild(result.files, ordered, tuple(sorted(fresh)))
