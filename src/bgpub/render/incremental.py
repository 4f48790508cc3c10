"""Incremental rendering: each output's dependencies are hashed; only outputs whose key changed re-render."""

from __future__ import annotations

import hashlib
import itertools
import json
import marshal
import operator
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, TextIO

import jinja2

from bgpub.domain.blocks import Block
from bgpub.domain.page_fields import PAGE_FIELDS
from bgpub.domain.progress import Progress, Step
from bgpub.errors import BgpubError, RenderError
from bgpub.render.blogpages import (
    output_key,
    post_key,
    redirects_file,
    render_output,
    sitemap_entries,
)
from bgpub.render.breadcrumbs import parent_titles
from bgpub.render.carried import CarriedOutputs, KeyJournal, card_counts
from bgpub.render.components import ComponentLibrary, ComponentSpec
from bgpub.render.environment import base_path, make_environment
from bgpub.render.fontsubset import subset_woff2
from bgpub.render.headers import HEADERS_PATH, headers_file
from bgpub.render.images import ImageJob, ImageProvider, MemoryImages
from bgpub.render.markdown import CMARK_VERSION, MarkdownRenderer, source_key
from bgpub.render.output import FolderWriter, write_output
from bgpub.render.parallel import render_parallel, worker_count
from bgpub.render.paths import BUILTIN_DIR
from bgpub.render.plan import BuildInfo, SitePlan
from bgpub.render.shoppages import (
    collection_key,
    product_key,
    render_collection_page,
    render_product_page,
)
from bgpub.render.site import PageRenderer
from bgpub.render.site_images import SiteImages
from bgpub.render.store import OutputStore, SiteFiles
from bgpub.render.themes import ThemeSet
from bgpub.render.variables import TemplateVariables
from bgpub.snapshot import PageSnapshot, ProjectSnapshot, SectionSnapshot, StoredPage

ENGINE = (
    f"bgpub-render-3 py{sys.version_info[0]}.{sys.version_info[1]} jinja2-{jinja2.__version__} "
    f"cmarkgfm-{CMARK_VERSION}"
)  # bump when the same inputs would give different bytes
COPY_BATCH = 50  # images copied as they are (their source's bytes) handed on at a time
PARALLEL_MIN = 400  # below this many outputs to render, one process is faster than forking
MARKDOWN_CACHE = "markdown.jsonl"
MARKDOWN_CACHE_LIMIT = (
    50_000_000  # bytes of markdown.jsonl before it is rewritten without stale entries
)
MARKDOWN_BASE = "markdown.base"  # markdown.jsonl's size right after its last rewrite
MARKDOWN_LINE = 1000  # entries a markdown.jsonl line holds at most (~2 MB)
REDIRECTS_PATH = (
    "_redirects"  # alias redirects, for hosts that read the file (Netlify, Cloudflare Pages)
)
SYNCED = "synced"  # names the output folder the last complete build left fully written
_OUTPUT_KEY = operator.attrgetter("output_key")  # an image job's outputs' dependency key
# (a plan's page paths, {path: index}) of the last render: the index is the list's while it is kept
_PAGE_AT: list[tuple[list[str], dict[str, int]] | None] = [None]
_SITE_DATA = re.compile(r"site\s*(\.\s*|\[\s*['\"])(nav|posts|products)\b")


@dataclass(frozen=True)
class RenderResult:
    """`files`: the whole site (path -> bytes); `rendered`: outputs produced anew (write these);
    `removed`: outputs of the previous render that no longer exist (delete these)."""

    files: Mapping[str, bytes]
    rendered: tuple[str, ...]
    removed: tuple[str, ...]
    stats: dict[str, Any] = field(default_factory=dict)


def _digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


class _Timer:
    """Phase timings for `RenderResult.stats` (never part of any output)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 4)
        self._last = now


def _content_hash(content: Any) -> str:
    """Hash of plain data: marshal (C speed, lossless, so different content never collides); repr
    for anything marshal cannot write. Equal content may hash differently only across Python
    versions (ENGINE includes the version), which costs a re-render, never a stale page."""
    try:
        data = marshal.dumps(content, 2)
    except ValueError:
        data = repr(content).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _builtin_fingerprint() -> str:
    h = hashlib.blake2b(digest_size=16)
    for path in sorted((BUILTIN_DIR / "templates").rglob("*.html")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


class Renderer:
    """Renders snapshots again and again, re-rendering only outputs whose dependencies changed.

    With `cache_dir`, the previous outputs, their keys and the Markdown cache persist there, so a new
    process building into the same place reuses them. Without one, `bytecode_cache` may hold the
    compiled templates instead: the tests render a reference from nothing after every edit, and
    compiling every template again was most of that time (the compiled code is keyed by each
    template's source checksum, as in `cache_dir`, so it is the code a compile would give).
    """

    pool_signature: tuple[Any, ...]  # what `render.pool` keeps it for (its library and themes)

    def __init__(
        self,
        library: ComponentLibrary,
        themes: ThemeSet,
        blobs: Callable[[str], bytes],
        cache_dir: str | Path | None = None,
        workers: int | None = None,
        images: ImageProvider | None = None,
        bytecode_cache: jinja2.BytecodeCache | None = None,
    ):
        self.library = library
        self._bytecode_cache = bytecode_cache
        self.themes = themes
        self.blobs = blobs
        # makes image outputs (renditions, icons, share cards); the pipeline hands in a cached one
        self.images: ImageProvider = images if images is not None else MemoryImages()
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.workers = worker_count() if workers is None else workers
        self.store = OutputStore(self.cache_dir)
        self.markdown = MarkdownRenderer()
        self._markdown_loaded = self.cache_dir is None
        self._environments: dict[tuple[Any, ...], jinja2.Environment] = {}
        self._variables = TemplateVariables(self.cache_dir)  # what each template reads
        self._last_keys: dict[
            str, tuple[Any, ...]
        ] = {}  # path -> (page, site key, components key, key)
        self._page_keys: dict[int, tuple[PageSnapshot, str, tuple[str, ...]]] = {}
        # (what page keys depended on, the pages, their keys) of the last `keys`
        self._last_pages: tuple[tuple[Any, ...], tuple[PageSnapshot, ...], dict[str, str]] | None
        self._last_pages = None
        self._paths: list[str] | None = None  # the sorted paths of the last render's outputs
        self._carried: CarriedOutputs | None = None  # what the last render left the store
        self._builtin = _builtin_fingerprint()
        self._builtin_sources = "".join(
            p.read_text("utf-8") for p in sorted((BUILTIN_DIR / "templates").rglob("*.html"))
        )
        self._theme_data: dict[tuple[Any, ...], set[str]] = {}
        self._uses: dict[str, set[str]] = {}
        self._processes = 1
        self._synced: set[str] = set()  # output folders this Renderer brought fully up to date

    def reload(
        self, library: ComponentLibrary | None = None, themes: ThemeSet | None = None
    ) -> None:
        """Swap in re-read components or themes (the preview calls this after a template edit)."""
        self.library = library if library is not None else self.library
        self.themes = themes if themes is not None else self.themes
        self._environments.clear()
        self._variables.clear()

    def _environment(self, plan: SitePlan) -> jinja2.Environment:
        key = (tuple(t.fingerprint for t in plan.theme_chain), plan.base_url, id(self.library))
        env = self._environments.get(key)
        if env is None:
            bytecode = self._bytecode_cache
            if (
                self.cache_dir is not None
            ):  # compiled templates for the next process (~0.1 s a start)
                (self.cache_dir / "jinja").mkdir(parents=True, exist_ok=True)
                bytecode = jinja2.FileSystemBytecodeCache(
                    str(self.cache_dir / "jinja"), _compiled_name(plan.base_url)
                )
            env = self._environments[key] = make_environment(
                plan.theme_chain, self.library, plan.base_url, bytecode_cache=bytecode
            )
        return env

    def _load_markdown(self) -> None:
        """Reads the persisted Markdown cache: JSON lines of {hash: html}, appended per render."""
        if self._markdown_loaded:
            return
        self._markdown_loaded = True
        assert self.cache_dir is not None  # without one there is nothing to load (see __init__)
        for entries in _markdown_lines(self.cache_dir / MARKDOWN_CACHE):
            self.markdown.preload(entries)

    def _page_key(
        self,
        page: PageSnapshot,
        path: str,
        previous: dict[int, tuple[PageSnapshot, str, tuple[str, ...]]],
    ) -> tuple[str, tuple[str, ...]]:
        """(content key, component keys used) of a page. An unchanged page object (same identity) is not
        looked at again; a stored page (`source_token`) whose token the previous key of its output
        carries is not even decoded: the token changes whenever the stored page does."""
        memo = previous.get(id(page))
        if memo is None or memo[0] is not page:
            token = getattr(page, "source_token", None)
            if token is not None:
                used = _used_from_key(self.store.keys.get(path), token)
                if used is None:
                    used = (
                        page.components
                        if isinstance(page, StoredPage)
                        else tuple([b.component for b in page.blocks])
                    )
                memo = (page, "t:" + token, used)
            else:
                content: tuple[Any, ...] = (
                    page.slug,
                    page.title,
                    page.is_home,
                    tuple((b.component, b.props) for b in page.blocks),
                    *_settings_key(page),
                )
                memo = (page, _content_hash(content), tuple([b.component for b in page.blocks]))
        self._page_keys[id(page)] = memo
        return memo[1], memo[2]

    def keys(self, plan: SitePlan) -> dict[str, str]:
        """Output path -> dependency key for every page, post and the 404 page."""
        found = self._keys(plan, carried=False)
        assert found is not None  # only a carried-over keying may decline
        return found

    def _keys(self, plan: SitePlan, *, carried: bool) -> dict[str, str] | None:
        """`keys`; with `carried`, only the keys of the pages that changed since the last render
        and every other output's, or None when the page keys cannot be carried over (the caller
        changes the store's dictionary in place: `bgpub.render.carried`)."""
        snap = plan.snapshot
        site = _digest(
            ENGINE,
            self._builtin,
            snap.name,
            snap.title,
            snap.description,
            snap.language,
            json.dumps(snap.settings, sort_keys=True, default=str),
            snap.assets,
            snap.components,
            plan.base_url,
            plan.css_path,
            [t.fingerprint for t in plan.theme_chain],
            plan.home,
            plan.blog.enabled,
            plan.images.settings,
            plan.site_card,
            plan.images.icons.links,
        )
        data = {
            "nav": _digest(plan.nav),
            "posts": _digest(plan.posts),
            "products": _digest(plan.products),
        }
        saved = {c.key: c.base for c in snap.components}
        theme_uses = sorted(self._theme_uses(plan))
        site = _digest(
            site, [data[u] for u in theme_uses], parent_titles(snap.pages, plan.page_paths)
        )  # breadcrumbs
        by_components: dict[tuple[Any, ...], str] = {}

        def component_part(used: tuple[str, ...]) -> str:
            part = by_components.get(used)
            if part is None:
                specs = [self.library.get(saved.get(k, k)) for k in sorted(set(used))]
                uses = sorted({u for s in specs if s is not None for u in self._component_uses(s)})
                part = by_components[used] = _digest(
                    [s.fingerprint if s else None for s in specs], [data[u] for u in uses]
                )
            return part

        def page_key(i: int, page: PageSnapshot, previous: dict[int, Any], last: Any) -> str:
            path = plan.page_paths[i]
            content, used = self._page_key(page, path, previous)
            shown, extra = plan.sections.depends(page, used)  # the shared sections it shows
            part = component_part(tuple(sorted(set(used) | set(extra))) if extra else used)
            if shown:
                part = _digest(part, shown)
            known = last.get(path)
            if known is not None and known[0] is page and known[1] == site and known[2] == part:
                key: str = known[3]  # an unchanged page in an unchanged site: the same key
            else:
                key = hashlib.blake2b(
                    f"{site}\0{path}\0{content}\0{part}".encode(), digest_size=16
                ).hexdigest()
                # a stored page's key carries its token and components, read back by the next build
                if content[:2] == "t:":
                    key = f"{key}:{content[2:]}:{','.join(used)}"
            self._last_keys[path] = (page, site, part, key)
            return key

        # what every page's key depends on besides the page itself: when it is as last time and
        # the pages sit at the same paths, only the page objects that are not the last ones are
        # keyed again (a save changes one page of 10,000; keying them all was ~25 ms)
        context = (site, data, snap.sections, self.library, plan.page_paths)
        last_pages = self._last_pages
        changed: list[int] | None = None
        if last_pages is not None and _same_context(last_pages[0], context):
            changed = list(
                itertools.compress(
                    itertools.count(), map(operator.is_not, last_pages[1], snap.pages)
                )
            )
            if len(last_pages[1]) != len(snap.pages) or len(changed) > len(snap.pages) // 4:
                changed = None
        if changed is not None and last_pages is not None and (carried or last_pages[2]):
            keys = {} if carried else dict(last_pages[2])
            for i in changed:
                self._page_keys.pop(id(last_pages[1][i]), None)
            for i in changed:
                keys[plan.page_paths[i]] = page_key(i, snap.pages[i], self._page_keys, {})
        elif carried:
            return None
        else:
            keys = {}
            previous, self._page_keys = self._page_keys, {}
            last_keys, self._last_keys = self._last_keys, {}
            for i, page in enumerate(snap.pages):
                keys[plan.page_paths[i]] = page_key(i, page, previous, last_keys)
        # carried over, the page keys live in the store's dictionary alone
        self._last_pages = (context, snap.pages, {} if carried else dict(keys))
        home = snap.pages[plan.home]
        chrome_blocks = tuple(
            b for b, _ in plan.sections.blocks(home) if self._region(b, saved) != "main"
        )
        chrome = _digest(
            site, repr(chrome_blocks), component_part(tuple([b.component for b in chrome_blocks]))
        )
        for n, i in enumerate(plan.post_indices):
            keys[plan.post_paths[n]] = post_key(plan, i, chrome)
        for output in plan.blog_outputs:
            keys[output.path] = output_key(plan, output, chrome)
        for n, path in enumerate(plan.shop.paths):
            keys[path] = product_key(plan, n, chrome)
        for n, collection in enumerate(plan.shop.collections):
            keys[collection["path"]] = collection_key(plan, n, chrome)
        keys["404.html"] = chrome
        if plan.thanks_path:
            keys[plan.thanks_path] = _digest(chrome, "thanks")
        return keys

    def _component_uses(self, spec: ComponentSpec) -> set[str]:
        """The manifest's `uses`, plus any site data its template visibly reads (a forgotten `uses`
        must not leave stale pages)."""
        found = self._uses.get(spec.fingerprint)
        if found is None:
            found = self._uses[spec.fingerprint] = set(spec.uses) | {
                m.group(2) for m in _SITE_DATA.finditer(spec.template_source)
            }
        return found

    def _region(self, block: Block, saved: dict[str, str]) -> str | None:
        spec = self.library.get(saved.get(block.component, block.component))
        return spec.region if spec is not None else None

    def _theme_uses(self, plan: SitePlan) -> set[str]:
        """Site data (nav, posts, products) the theme's own templates read: every page depends on it."""
        key = tuple(t.fingerprint for t in plan.theme_chain)
        found = self._theme_data.get(key)
        if found is None:
            sources = [src for t in plan.theme_chain for src in t.templates.values()] + [
                self._builtin_sources
            ]
            found = self._theme_data[key] = {
                m.group(2) for src in sources for m in _SITE_DATA.finditer(src)
            }
        return found

    def render(
        self,
        snapshot: ProjectSnapshot,
        build: BuildInfo | None = None,
        *,
        out_dir: str | Path | None = None,
        progress: Progress | None = None,
        on_rendered: Callable[[dict[str, bytes]], None] | None = None,
    ) -> RenderResult:
        """The whole site; outputs whose dependency key is unchanged come from the previous render.

        With `out_dir`, outputs are also written there as they are rendered (overlapping rendering
        and writing on big builds) and stale ones removed, as `write_output` does; `stats["written"]`
        counts them. `progress` gets a `Step("render", done, total)` as pages render (for a
        progress bar); `on_rendered(chunk)` gets each batch of pages as it is rendered (to write
        them meanwhile).
        """
        timer = _Timer()
        plan = SitePlan(snapshot, self.library, self.themes, self.blobs, build or BuildInfo())
        stored = self.store.keys
        carried, self._carried = self._carried, None  # until this render is complete
        found = self._carried_keys(plan, carried)
        journal: KeyJournal | None = None
        others: set[str] = set()  # carried over: every output neither a page nor a page's card
        if found is not None:  # the store's own dictionary, changed in place
            journal, others = found
            keys = stored
            jobs = list(journal.changed)
            known = True
        else:
            keys = self.keys(plan)
            before = list(map(stored.get, keys))  # each output's last key (None: a new output)
            jobs = list(itertools.compress(keys, map(operator.ne, before, keys.values())))
            # whether every output so far was there last time (then, with as many outputs as last
            # time, none was removed: no pass over 200,000 paths to find out, ~6% of a 100k save)
            known = None not in before
        try:  # a carried-over render's keys are in the store's dictionary already
            if len(jobs) > 50:
                self._load_markdown()
            timer.lap("plan")
            variables = self._variables.for_templates(self._builtin, plan.theme_chain, self.library)
            pages = PageRenderer(plan, self.markdown, self._environment(plan), variables=variables)
            writer = FolderWriter(out_dir, staged=True) if out_dir is not None else None
        except BaseException:
            if journal is not None:
                journal.undo()
            raise
        done = 0
        font_paths = set(plan.fonts.files)
        fonts: dict[str, bytes] = {}  # subsets the workers made: site files, stored with those

        def on_chunk(chunk: dict[str, bytes]) -> None:
            nonlocal done
            if writer is not None:
                writer.write(chunk)
            if on_rendered is not None:
                on_rendered(chunk)
            done += len(chunk)
            for path in font_paths.intersection(chunk):
                fonts[path] = chunk.pop(path)
            self.store.append(chunk)  # the pages go to the pack now, indexed once all are there
            if progress is not None:
                # font subsets come as chunks too
                progress(Step("render", min(done, len(jobs)), len(jobs)))

        def on_images(outputs: dict[str, bytes]) -> None:
            if writer is not None:
                writer.write(outputs)
            if on_rendered is not None:
                on_rendered(outputs)
            self.store.append(outputs)

        rendered = list(jobs)
        # `keys` is this render's own dict (`self.keys` makes a new one): completed, then the store's
        fresh: dict[str, bytes] = {}
        try:
            self._render_jobs(pages, jobs, on_chunk)
            site_files = self._site_files(pages, plan, fonts)
            for path, data in site_files.items():
                key = plan.file_keys.get(path) or (
                    _digest(data)
                    if not path.startswith("assets/") or path == plan.css_path
                    else path
                )
                if journal is not None:
                    others.add(path)
                    if journal.put(path, key):
                        fresh[path] = data
                        rendered.append(path)
                    continue
                keys[path] = key
                last = stored.get(path)
                known = known and last is not None
                if last != key:
                    fresh[path] = data
                    rendered.append(path)
            if journal is not None and carried is not None:
                images = self._carried_image_outputs(plan, on_images, journal, carried, others)
                images_known = True
            else:
                images, images_known = self._image_outputs(plan, on_images, keys)
        except BaseException:
            if journal is not None:
                journal.undo()
            self.store.abandon()  # what it appended stays unindexed
            if writer is not None:
                writer.abort()  # a failed render leaves the folder as it was
            raise
        timer.lap("render")
        rendered.extend(images)
        removed: list[str] = []
        last_paths, self._paths = self._paths, None  # until the store holds this render's keys
        if journal is not None and carried is not None and last_paths is not None:
            for path in carried.others - others:  # a post, a product, an image no longer made
                if path not in carried.card_pages and path not in _page_index(plan.page_paths):
                    journal.remove(path)
            removed = sorted(journal.removed)
            paths = journal.sorted_paths(last_paths)
        else:
            if not (known and images_known and len(keys) == len(stored)):
                removed = sorted(stored.keys() - keys.keys())
            # the same outputs as the last render (a save): its sorted list of paths serves again
            same_paths = not removed and len(keys) == len(self.store.keys)
            paths = last_paths if same_paths and last_paths is not None else sorted(keys)
        synced = self._synced_with(out_dir)
        self._mark_synced(None)  # until this build's files are all in place
        self.store.update(keys, fresh, rendered, removed)  # found here: not looked for again
        self._save_markdown(plan)
        self._variables.save()
        timer.lap("store")
        self._paths = paths
        self._carried = self._outputs_carried(plan, keys, journal, carried, others)
        stats = {
            "outputs": len(paths),
            "rendered": len(rendered),
            "markdown_cached": len(self.markdown),
            "processes": self._processes,
            "images_requested": len(images),
            "seconds": timer.laps,
        }
        result = RenderResult(
            SiteFiles(paths, self.store), tuple(sorted(rendered)), tuple(removed), stats
        )
        if writer is not None:
            writer.commit()
            assert out_dir is not None  # a writer exists only for an output folder
            stats["written"] = len(writer.written) + write_output(
                out_dir, result, already=writer.written, verify=not synced
            )
            self._mark_synced(out_dir)  # every output is there: the next build need not look
            timer.lap("write")
        return result

    def _synced_with(self, out_dir: str | Path | None) -> bool:
        """True when the last complete build wrote every output into `out_dir` (no need to stat
        thousands of files to find missing ones)."""
        if out_dir is None:
            return False
        target = str(Path(out_dir).resolve())
        if target in self._synced:
            return True
        if self.cache_dir is None:
            return False
        try:
            return (self.cache_dir / SYNCED).read_text("utf-8") == target
        except OSError:
            return False

    def _mark_synced(self, out_dir: str | Path | None) -> None:
        self._synced.clear()
        if self.cache_dir is not None:
            (self.cache_dir / SYNCED).unlink(missing_ok=True)
        if out_dir is None:
            return
        target = str(Path(out_dir).resolve())
        self._synced.add(target)
        if self.cache_dir is not None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            (self.cache_dir / SYNCED).write_text(target, "utf-8")

    def _site_files(
        self, pages: PageRenderer, plan: SitePlan, fonts: Mapping[str, bytes] | None = None
    ) -> dict[str, bytes]:
        """Stylesheet, sitemap, robots, host headers and assets; asset bytes are fetched only when not
        stored yet. `fonts`: font subsets the render's workers already made."""
        files = {
            plan.css_path: plan.css,
            **plan.sitemaps(sitemap_entries(plan) + plan.shop.sitemap_entries()),
            "robots.txt": plan.robots(),
            HEADERS_PATH: headers_file(),
            **plan.images.files,
        }
        redirects = redirects_file(plan)
        if redirects is not None:
            files[REDIRECTS_PATH] = redirects
        for path in plan.asset_files:
            if self.store.keys.get(path) != path:
                files[path] = plan.asset_bytes(path)
            else:
                files[path] = (
                    b""  # unchanged (the name carries the content hash): keep the stored bytes
                )
        for (
            path,
            font,
        ) in plan.fonts.files.items():  # subset only when not stored (the name is the key)
            if fonts and path in fonts:
                files[path] = fonts[path]
                continue
            stored = self.store.keys.get(path) == path
            files[path] = b"" if stored else font.data(self._subset)
        files.update(plan.fonts.licences)
        return files

    def _subset(self, source: bytes, ranges: str) -> bytes:
        """An unprepared font's subset, kept in this renderer's cache folder for the next process."""
        return subset_woff2(source, ranges, self.cache_dir)

    def _image_outputs(
        self, plan: SitePlan, on_images: Callable[[dict[str, bytes]], None], keys: dict[str, str]
    ) -> tuple[list[str], bool]:
        """Adds the key of every image output (renditions, icons, share cards) to `keys`; returns the
        paths of those not in the store under the same key, whose bytes go to `on_images` (the
        pack, the output folder) a group at a time as the provider finds or encodes them, while it
        encodes the next (at 100,000 pages the share cards alone are 1.3 GB, and writing 10,000 of
        them after the render was a serial tail of ~3 s, issue 18), and whether every image output
        was in the store before. The provider encodes only what its own cache lacks."""
        site_images = plan.images
        jobs_by_path = site_images.jobs
        # at C speed, each pass once: 100,000 share cards keyed and compared were ~15% of a save
        paths = [*jobs_by_path, *site_images.copies]
        now = list(map(_OUTPUT_KEY, jobs_by_path.values()))
        now += ["blob:" + digest for digest in site_images.copies.values()]
        before = list(map(self.store.keys.get, paths))
        keys.update(zip(paths, now, strict=True))
        wanted = list(itertools.compress(paths, map(operator.ne, before, now)))
        jobs = {p: jobs_by_path[p] for p in wanted if p in jobs_by_path}
        self._encode_images(jobs, [p for p in wanted if p not in jobs], site_images, on_images)
        return wanted, None not in before

    def _carried_image_outputs(
        self,
        plan: SitePlan,
        on_images: Callable[[dict[str, bytes]], None],
        journal: KeyJournal,
        carried: CarriedOutputs,
        others: set[str],
    ) -> list[str]:
        """`_image_outputs` carried over: every image but the pages' cards keyed again, and of those
        only the cards planned again (the plan's `card_base`); a card no page shows any more is
        removed. Adds the images' paths to `others`; returns the paths whose bytes were made."""
        site_images = plan.images
        jobs: dict[str, ImageJob] = {}
        for path, job in site_images.other_jobs.items():
            others.add(path)
            if journal.put(path, job.output_key):
                jobs[path] = job
        copies = []
        for path, digest in site_images.copies.items():
            others.add(path)
            if journal.put(path, "blob:" + digest):
                copies.append(path)
        assert site_images.card_base is not None  # checked by `_carried_keys`
        base, changed = site_images.card_base
        cards, counts = site_images.page_cards, carried.card_pages
        dropped = []
        for i in changed:
            old, new = base[i], cards[i]
            if old[0] != new[0]:
                left = counts[old[0]] - 1
                if left:
                    counts[old[0]] = left
                else:
                    del counts[old[0]]
                    dropped.append(old[0])
                counts[new[0]] = counts.get(new[0], 0) + 1
            if journal.put(new[0], new[1].output_key):
                jobs[new[0]] = new[1]
        for path in dropped:
            if path not in counts and path not in others:
                journal.remove(path)
        self._encode_images(jobs, copies, site_images, on_images)
        return [*jobs, *copies]

    def _encode_images(
        self,
        wanted: dict[str, ImageJob],
        copies: list[str],
        site_images: SiteImages,
        on_images: Callable[[dict[str, bytes]], None],
    ) -> None:
        """Hands the bytes of the `wanted` image jobs and `copies` (source blobs as they are) to
        `on_images` a group at a time; one job's bytes serve every path it has."""
        paths_of: dict[str, list[str]] = {}  # job key -> its output paths
        jobs = []
        for path, job in wanted.items():
            same = paths_of.get(job.key)
            if same is None:
                same = paths_of[job.key] = []
                jobs.append(job)
            same.append(path)
        for start in range(0, len(copies), COPY_BATCH):
            on_images(
                {p: self._source(site_images.copies[p]) for p in copies[start : start + COPY_BATCH]}
            )
        if jobs:
            with closing(self.images.groups(jobs, self._source)) as groups:  # ends its workers
                for group in groups:
                    outputs = {
                        p: data for key, data in group.items() for p in paths_of.pop(key, ())
                    }
                    if outputs:
                        on_images(outputs)
        if paths_of:
            raise RenderError(
                f"the image provider made no bytes for {len(paths_of)} image(s)",
                where=next(iter(paths_of.values()))[0],
            )

    def _carried_keys(
        self, plan: SitePlan, carried: CarriedOutputs | None
    ) -> tuple[KeyJournal, set[str]] | None:
        """A journal over the store's own key dictionary with the keys of the pages that changed
        and of every other output but images put in, and those other outputs' paths, when this
        render can carry the last one's over (`bgpub.render.carried`): the store still holds that
        render's dictionary, and the plan's page cards are that render's with a few planned again.
        None when every output must be keyed."""
        if carried is None or carried.keys is not self.store.keys or self._paths is None:
            return None
        base = plan.images.card_base
        if base is None or base[0] is not carried.cards:
            return None
        found = self._keys(plan, carried=True)
        if found is None:
            return None
        journal = KeyJournal(self.store.keys)
        for path, key in found.items():
            journal.put(path, key)
        page_at = _page_index(plan.page_paths)
        return journal, {path for path in found if path not in page_at}

    def _outputs_carried(
        self,
        plan: SitePlan,
        keys: dict[str, str],
        journal: KeyJournal | None,
        carried: CarriedOutputs | None,
        others: set[str],
    ) -> CarriedOutputs:
        """What the next render may carry over from this one."""
        cards = plan.images.page_cards
        if journal is not None and carried is not None:
            return CarriedOutputs(keys, cards, carried.card_pages, others)
        counts = card_counts(cards)
        page_at = _page_index(plan.page_paths)
        rest = {p for p in keys if p not in page_at and p not in counts}
        return CarriedOutputs(keys, cards, counts, rest)

    def _source(self, digest: str) -> bytes:
        """A source blob's bytes, checked against its hash."""
        try:
            data = self.blobs(digest)
        except Exception as exc:  # a store failure names the blob, not a KeyError
            raise RenderError(
                f"image bytes {digest} are missing from the blob store", where="assets"
            ) from exc
        if hashlib.sha256(data).hexdigest() != digest:
            raise RenderError(f"image bytes do not match their hash {digest}", where="assets")
        return data

    def _render_jobs(
        self, pages: PageRenderer, jobs: list[str], on_chunk: Callable[[dict[str, bytes]], None]
    ) -> None:
        """Renders `jobs` (and fonts still to subset), handing the outputs to `on_chunk` a chunk
        at a time and keeping none."""
        plan = pages.plan
        # a save renders one page of 100,000: found by path in the index kept for its paths
        page_at = _page_index(plan.page_paths)
        index = {path: ("page", page_at[path]) for path in jobs if path in page_at}
        index.update(
            {path: ("post", plan.post_indices[n]) for n, path in enumerate(plan.post_paths)}
        )
        index.update({output.path: ("blog", n) for n, output in enumerate(plan.blog_outputs)})
        index.update({path: ("product", n) for n, path in enumerate(plan.shop.paths)})
        index.update({c["path"]: ("collection", n) for n, c in enumerate(plan.shop.collections)})
        index["404.html"] = ("404", 0)
        if plan.thanks_path:
            index[plan.thanks_path] = ("thanks", 0)
        tasks = [(path, *index[path]) for path in jobs]
        # fork only from a single-threaded process (a TUI or server thread could deadlock a child)
        if len(tasks) >= PARALLEL_MIN and self.workers > 1 and threading.active_count() == 1:
            self._processes = self.workers
            self._prime_variables(pages)
            # font subsets (~1 s of CPU each, fontTools) are made by the workers while pages render,
            # each its own task, first: not afterwards in this process alone
            fonts = [
                (path, "font", n)
                for n, (path, font) in enumerate(plan.fonts.files.items())
                if self.store.keys.get(path) != path and not font.prepared
            ]  # a prepared font is its own output: the parent copies it (`_site_files`)
            _FONT_CACHE[0] = self.cache_dir
            streamed = self._markdown_stream()
            try:
                entries = render_parallel(
                    pages, tasks, self.workers, on_chunk, first=fonts, on_entries=streamed
                )
            finally:
                _FONT_CACHE[0] = None
            self.markdown.preload(entries, new=True)
            return
        self._processes = 1
        for start in range(0, len(tasks), 200):
            on_chunk(
                {path: render_task(pages, kind, i) for path, kind, i in tasks[start : start + 200]}
            )

    def _markdown_stream(self) -> Callable[[dict[str, str]], None] | None:
        """With a cache folder: appends the Markdown entries workers send straight to markdown.jsonl,
        keeping none here (a cold build's parent held every page's entries, ~0.25 GB at 100,000
        pages, issue 18); this renderer reads them back if a later render needs them. A file this
        render starts gets its base (see `_save_markdown`) with each line."""
        if self.cache_dir is None:
            return None
        cache_dir = self.cache_dir
        path = cache_dir / MARKDOWN_CACHE
        started_empty = not path.exists() or path.stat().st_size == 0

        def save(entries: dict[str, str]) -> None:
            if not entries:
                return
            cache_dir.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as handle:
                _write_markdown_lines(handle, entries.items())
            self._markdown_loaded = False  # the file holds entries memory lacks
            if started_empty:
                (cache_dir / MARKDOWN_BASE).write_text(str(path.stat().st_size), "ascii")

        return save

    def _prime_variables(self, pages: PageRenderer) -> None:
        """Before forking: finds what the templates the pages use read, and compiles them and the
        layouts, once here instead of in every worker (the workers inherit them; the parent saves
        the variables for the next process). Only the components the pages and shared sections
        use: parsing all of the library's (~0.2 s of CPU) was most of this step."""
        snap = pages.plan.snapshot
        saved = {c.key: c.base for c in snap.components}
        used = {k for memo in self._page_keys.values() for k in memo[2]}
        used |= {b.component for section in snap.sections for b in section.blocks}
        specs = [self.library.get(saved.get(k, k)) for k in sorted(used)]
        components = sorted({f"components/{s.key}.html" for s in specs if s is not None})
        for name in components:
            try:
                pages.variables_of(name)
            except BgpubError:
                continue  # a broken template: the page that uses it reports it, with its place
        for name in ["base.html", "404.html", *components]:
            try:
                pages.template(name)
            except BgpubError:
                continue

    def _save_markdown(self, plan: SitePlan) -> None:
        """Appends this render's new Markdown entries (JSON lines of at most `MARKDOWN_LINE` entries).
        Past 50 MB, and past twice its size after the last rewrite, the file is rewritten with only
        the entries the current snapshot still uses. The second condition matters on big sites: a
        100,000-page site's live entries alone are ~170 MB, and without it every one-page rebuild
        decoded every page's blocks and rewrote the whole file (7 s of a 25 s rebuild); now a
        rewrite comes once the file doubles. A file this render started holds only its entries, all
        live: its size is the base, so the first edit after a cold build does not rewrite it (that
        rewrite was the 2 GB peak of the first one-page rebuild at 100,000 pages, issue 18)."""
        if self.cache_dir is None or not self.markdown.new:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        path = self.cache_dir / MARKDOWN_CACHE
        size = path.stat().st_size if path.exists() else 0
        if size > MARKDOWN_CACHE_LIMIT and size > 2 * self._markdown_base():
            self._rewrite_markdown(path, self._live_markdown(plan))
        else:
            with open(path, "a", encoding="utf-8") as handle:
                _write_markdown_lines(handle, self.markdown.new.items())
            if size == 0:
                (self.cache_dir / MARKDOWN_BASE).write_text(str(path.stat().st_size), "ascii")
        self.markdown.new.clear()

    def _rewrite_markdown(self, path: Path, live: set[str]) -> None:
        """Rewrites the file with its live entries and this render's new ones, a line at a time:
        never the whole cache in memory (the first of two entries for a key wins, as when loading)."""
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            stored = (item for entries in _markdown_lines(path) for item in entries.items())
            _write_markdown_lines(out, _take_live(chain(stored, self.markdown.new.items()), live))
        os.replace(tmp, path)
        assert self.cache_dir is not None  # only a persisted cache is rewritten
        (self.cache_dir / MARKDOWN_BASE).write_text(str(path.stat().st_size), "ascii")

    def _markdown_base(self) -> int:
        """markdown.jsonl's size after its last rewrite (0 when never rewritten or unreadable)."""
        assert self.cache_dir is not None
        try:
            return int((self.cache_dir / MARKDOWN_BASE).read_text("ascii"))
        except (OSError, ValueError):
            return 0

    def _live_markdown(self, plan: SitePlan) -> set[str]:
        """Cache keys of every Markdown text in the snapshot (block props, list items, post bodies)."""
        prefix = base_path(plan.base_url)
        saved = {c.key: c.base for c in plan.snapshot.components}
        texts: list[str] = [post.body for post in plan.snapshot.posts]
        holders: tuple[PageSnapshot | SectionSnapshot, ...] = (
            *plan.snapshot.pages,
            *plan.snapshot.sections,
        )
        keys = {source_key(prefix + "\0" + t if prefix else t) for t in texts}
        for page in holders:
            decoded = "blocks" in page.__dict__
            texts = []
            for block in page.blocks:
                spec = self.library.get(saved.get(block.component, block.component))
                if spec is not None:
                    _markdown_texts(spec.props, block.props, texts)
            if not decoded and isinstance(page, StoredPage):
                # decoded only to be read here: kept, 100,000 pages' blocks were ~0.6 GB
                page.__dict__.pop("blocks", None)
            keys.update(source_key(prefix + "\0" + t if prefix else t) for t in texts)
        return keys


def _markdown_lines(path: Path) -> Iterator[dict[str, Any]]:
    """The entries of markdown.jsonl, a line at a time (a missing file has none; a torn line is
    skipped: its entries are simply rendered again)."""
    try:
        handle = open(path, encoding="utf-8")
    except OSError:
        return
    with handle:
        for line in handle:
            try:
                entries = json.loads(line)
            except ValueError:
                continue
            if isinstance(entries, dict):
                yield entries


def _write_markdown_lines(handle: TextIO, entries: Iterable[tuple[str, str]]) -> None:
    """JSON lines of at most `MARKDOWN_LINE` entries each, sorted by key within a line: a reader
    never holds more than one line's text besides the entries it keeps."""
    batch: dict[str, str] = {}
    for key, value in entries:
        batch[key] = value
        if len(batch) >= MARKDOWN_LINE:
            handle.write(json.dumps(batch, separators=(",", ":"), sort_keys=True) + "\n")
            batch = {}
    if batch:
        handle.write(json.dumps(batch, separators=(",", ":"), sort_keys=True) + "\n")


def _take_live(entries: Iterable[tuple[str, str]], live: set[str]) -> Iterator[tuple[str, str]]:
    """The entries whose key is in `live`, each key once (taken out of `live` as it is found)."""
    for key, value in entries:
        if key in live:
            live.discard(key)
            yield key, value


def _page_index(paths: list[str]) -> dict[str, int]:
    """{page path: index}, made at C speed once per list of paths (a plan keeps the last one's list
    while slugs stay): a save renders one page of 100,000, and indexing them all was ~5% of it."""
    memo = _PAGE_AT[0]
    if memo is not None and memo[0] is paths:
        return memo[1]
    index = dict(zip(paths, itertools.count()))
    _PAGE_AT[0] = (paths, index)
    return index


def _same_context(last: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    """Whether page keys depend on the same things: equal digests and sections, the very same
    library and list of page paths (a plan reuses the list while slugs, home and base URL stay)."""
    site, data, sections, library, paths = last
    return (
        site == now[0]
        and data == now[1]
        and (sections is now[2] or sections == now[2])
        and library is now[3]
        and paths is now[4]
    )


def _used_from_key(key: str | None, token: str) -> tuple[str, ...] | None:
    """The component keys a previous page key recorded, if it was made for the same stored page."""
    if key is None or key.count(":") < 2:
        return None
    _, old_token, used = key.split(":", 2)
    if old_token != token:
        return None
    return tuple(used.split(",")) if used else ()


def _markdown_texts(specs: Iterable[Any], values: Any, into: list[str]) -> None:
    if not isinstance(values, dict):
        return
    for spec in specs:
        value = values.get(spec.name)
        if spec.type == "markdown" and isinstance(value, str):
            into.append(value)
        elif spec.type == "list" and isinstance(value, list):
            for item in value:
                _markdown_texts(spec.fields, item, into)
        elif spec.type == "markdown" and value is None and isinstance(spec.default, str):
            into.append(spec.default)


_FONT_CACHE: list[Path | None] = [None]  # the render cache folder, for font subsets made in workers


def render_task(pages: PageRenderer, kind: str, index: int) -> bytes:
    """One output: a page, a post, a blog listing, feed or redirect, the 404 page, or a font subset."""
    if kind == "page":
        return pages.render_page(index)
    if kind == "font":
        font = list(pages.plan.fonts.files.values())[index]
        return font.data(lambda source, ranges: subset_woff2(source, ranges, _FONT_CACHE[0]))
    if kind == "post":
        return pages.render_post(index)
    if kind == "thanks":
        return pages.render_thanks()
    if kind == "blog":
        return render_output(pages, pages.plan.blog_outputs[index])
    if kind == "product":
        return render_product_page(pages, index)
    if kind == "collection":
        return render_collection_page(pages, index)
    return pages.render_404()


def _settings_key(page: Any) -> tuple[tuple[str, Any], ...]:
    """A page's settings that differ from their defaults, by name: a new setting at its default
    leaves every page's key as it was."""
    return tuple(
        (f.name, value)
        for f in PAGE_FIELDS
        if (value := getattr(page, f.name, f.default)) != f.default
    )


def _compiled_name(base_url: str) -> str:
    """The file name pattern of templates compiled for `base_url`'s path. Jinja evaluates filters of
    constants when it compiles (`'/thanks/'|url` becomes "/docs/thanks/"), so compiled code is only
    right for the base path it was compiled with; Jinja's own key is the template's name and source."""
    path = base_path(base_url)
    tag = hashlib.sha256(path.encode("utf-8")).hexdigest()[:16] if path else "root"
    return f"__jinja2_{tag}_%s.cache"
