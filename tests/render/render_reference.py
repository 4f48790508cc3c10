"""A full render from nothing, as `render_site` makes it, for tests that compare a running renderer
with one after every edit (hundreds of reference renders a module).

Two things a reference render did again every time, and which cannot differ between two renders from
nothing, are kept for the process instead:

- compiled templates (about half of a reference render's time): Jinja's code for a template is a
  function of its source, its name and file, and the environment it is compiled in. Every
  environment here comes from `make_environment` with the same options; the only thing that differs
  is the base path, which Jinja folds into the code of a constant `'/x/'|url` at compile time, so it
  is part of the key as well.
- encoded images (renditions, share cards, icons): their bytes are a function of the job, which its
  `key` names in full (the production cache in the blob store is keyed by it too), and a reference
  plans its jobs afresh: an incremental renderer that planned a stale job still differs from it.

Everything a render carries from one render to the next (output keys, plan memos, fragments,
Markdown, the templates' variables) is still made anew for every reference render.
"""

from __future__ import annotations

from collections.abc import Callable

import jinja2

from bgpub.render import BuildInfo, Renderer
from bgpub.render.components import ComponentLibrary
from bgpub.render.images import MemoryImages
from bgpub.render.themes import ThemeSet
from bgpub.snapshot import ProjectSnapshot


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates in memory, by name, file, base path and source checksum."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        # `'/thanks/'|url` is folded into the code with this environment's base path
        base = environment.globals["url"]("/")
        return super().get_bucket(environment, name, f"{filename}|{base}", source)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # a changed source (checksum) is compiled again

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()
ENCODED = MemoryImages()
BlobReader = Callable[[str], bytes]  # a blob's bytes by its digest, as render_site takes them


def reference_render(
    snapshot: ProjectSnapshot,
    library: ComponentLibrary,
    themes: ThemeSet,
    blobs: BlobReader,
    build: BuildInfo | None = None,
) -> dict[str, bytes]:
    """`render_site(snapshot, library, themes, blobs, build)`: a new Renderer's files."""
    renderer = Renderer(library, themes, blobs, images=ENCODED, bytecode_cache=COMPILED)
    return dict(renderer.render(snapshot, build or BuildInfo()).files.items())
