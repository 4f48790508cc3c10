"""The pure renderer: a snapshot in, `{path: bytes}` out; no clock, environment, cwd or database."""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from bgpub.domain.blocks import Block
from bgpub.domain.page_fields import PAGE_FIELDS
from bgpub.domain.props import PropSpec
from bgpub.errors import BgpubError, RenderError
from bgpub.render.beacon import THANKS_URL, thanks_main, with_analytics, with_beacon
from bgpub.render.blogpages import render_post_page, with_head
from bgpub.render.breadcrumbs import page_jsonld
from bgpub.render.components import (
    ComponentLibrary,
    ComponentSpec,
    resolve_component,
    validate_props,
)
from bgpub.render.environment import base_path, make_environment, template_error, template_variables
from bgpub.render.fonts import head_links
from bgpub.render.markdown import MarkdownRenderer
from bgpub.render.plan import AssetRef, BuildInfo, SitePlan
from bgpub.render.themes import ThemeSet
from bgpub.snapshot import PageSnapshot, ProjectSnapshot

__all__ = ["BuildInfo", "AssetRef", "PageRenderer", "render_site"]

NOINDEX = "noindex"


def _props_hash(props: dict[str, Any]) -> bytes:
    """A compact, lossless fingerprint of raw props (marshal; repr for anything marshal refuses)."""
    try:
        data = marshal.dumps(props, 2)
    except ValueError:
        data = repr(props).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).digest()


class Props:
    """Props as templates see them: plain attributes (`props.items` is the prop named items, never
    dict.items), also readable as `props["name"]`. Attribute access is the fast path in Jinja."""

    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.__dict__[name]
        except KeyError:
            raise KeyError(name) from None

    def __contains__(self, name: object) -> bool:
        return name in self.__dict__

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __len__(self) -> int:
        return len(self.__dict__)

    def __repr__(self) -> str:
        return f"Props({self.__dict__!r})"


class _PageProbe(Mapping[str, Any]):
    """The `page` context of a probe render: reads like the page's dict and records whether anything
    read it at all (an item, its keys, length, truth or text). A block whose render never read it
    gave the same HTML on any page, so that HTML is reused on every page with the same props, site
    and position: the navbar reads `page.url` only for hand-written links, never for `site.nav`."""

    __slots__ = ("__data", "read")

    def __init__(self, data: dict[str, Any]):
        self.__data = data
        self.read = False

    def __getitem__(self, name: str) -> Any:
        self.read = True
        return self.__data[name]

    def __iter__(self) -> Iterator[str]:
        self.read = True
        return iter(self.__data)

    def __len__(self) -> int:
        self.read = True
        return len(self.__data)

    def __repr__(self) -> str:
        self.read = True
        return repr(self.__data)

    __str__ = __repr__


_ANY_PAGE = (
    "any page",
)  # stands for the page's values in the key of a fragment proven not to read them


class PageRenderer:
    """Renders the pages of one planned snapshot; holds the compiled templates and the Markdown cache."""

    def __init__(
        self,
        plan: SitePlan,
        markdown: MarkdownRenderer | None = None,
        environment: jinja2.Environment | None = None,
        reuse_fragments: bool = True,
        variables: dict[str, frozenset[str] | None] | None = None,
    ):
        self.plan = plan
        self.markdown = markdown if markdown is not None else MarkdownRenderer()
        self.env = environment or make_environment(plan.theme_chain, plan.library, plan.base_url)
        self._templates: dict[str, jinja2.Template] = {}
        snap = plan.snapshot
        self._asset_names = {
            a.name: a.type for a in snap.assets
        }  # types: image props refuse other assets
        self._saved = snap.components
        self.prefix = base_path(plan.base_url)
        # Fragments: a block's HTML, reused when another page has the same block in the same context
        # (the navbar and footer of most pages). A fragment is stored the second time its key is seen.
        self._fragments: dict[tuple[Any, ...], str] = {}
        self._seen: set[tuple[Any, ...]] = set()
        # page-free keys (see _PageProbe) seen once, and those whose probe found the page read
        self._seen_free: set[tuple[Any, ...]] = set()
        self._reads_page: set[tuple[Any, ...]] = set()
        # template name -> context variables it reads; the caller may share it between renders
        self._variables: dict[str, frozenset[str] | None] = (
            variables if variables is not None else {}
        )
        self.reuse_fragments = reuse_fragments

    def template(self, name: str) -> jinja2.Template:
        found = self._templates.get(name)
        if found is None:
            try:
                found = self.env.get_template(name)
            except jinja2.TemplateError as exc:
                raise template_error(exc, name) from exc
            self._templates[name] = found
        return found

    def _render(self, name: str, context: dict[str, Any]) -> str:
        template = self.template(name)
        try:
            return template.render(context)
        except BgpubError:
            raise
        except Exception as exc:  # a template bug: name its file and line
            raise template_error(exc, template.filename or name) from exc

    def _prepare(self, specs: Iterable[PropSpec], values: dict[str, Any], where: str) -> Props:
        """Validated plain props -> what templates get: Markdown as Markup, assets as AssetRef."""
        result = {}
        for spec in specs:
            value = values[spec.name]
            if spec.type == "markdown":
                value = self.markdown.render(value, self.prefix)
            elif spec.type == "asset":
                value = self.plan.asset(value, f"{where}, prop {spec.name}")
            elif spec.type == "list":
                value = [self._prepare(spec.fields, item, where) for item in value]
            result[spec.name] = value
        return Props(result)

    def variables_of(self, name: str) -> frozenset[str] | None:
        """The context variables template `name` reads (None when unknowable); remembered."""
        return self._depends(name)

    def _depends(self, name: str) -> frozenset[str] | None:
        if name not in self._variables:
            try:
                self._variables[name] = template_variables(self.env, name)
            except jinja2.TemplateError as exc:
                raise template_error(exc, name) from exc
        return self._variables[name]

    def _fragment_key(
        self, block: Block, name: str, index: int, page_ctx: dict[str, Any], nav_current: int
    ) -> tuple[Any, ...] | None:
        """What a block's HTML depends on within this render: its props and the context it reads."""
        variables = self._depends(name) if self.reuse_fragments else None
        if variables is None:
            return None
        return (
            block.component,
            _props_hash(block.props),
            index if "block" in variables else 0,
            tuple(page_ctx.values()) if "page" in variables else None,
            nav_current if "site" in variables else None,
        )

    def regions(
        self,
        page: PageSnapshot,
        page_ctx: dict[str, Any],
        site: dict[str, Any],
        only: tuple[str, ...] = ("header", "main", "footer"),
        nav_current: int = -1,
    ) -> dict[str, Markup]:
        parts: dict[str, list[str]] = {"header": [], "main": [], "footer": []}
        for index, (block, origin) in enumerate(self.plan.sections.blocks(page), start=1):
            where = f"{self.plan.where}, {origin} ({block.component})"  # numbered as it renders, named where stored
            spec, _ = self._resolve(block, where)
            if spec.region not in only:
                continue
            name = f"components/{spec.key}.html"
            key = self._fragment_key(block, name, index, page_ctx, nav_current)
            html = self._fragments.get(key) if key is not None else None
            if html is None and key is not None and key[3] is not None:
                html = self._page_free(key, block, spec, name, index, page_ctx, site, where)
            if html is None:
                html = self._render_block(block, spec, name, index, page_ctx, site, where)
                if key is not None:
                    if key in self._seen:
                        self._fragments[key] = html
                    else:
                        self._seen.add(key)
            parts[spec.region].append(html)
        return {name: Markup("\n".join(html)) for name, html in parts.items()}

    def _page_free(
        self,
        key: tuple[Any, ...],
        block: Block,
        spec: Any,
        name: str,
        index: int,
        page_ctx: dict[str, Any],
        site: dict[str, Any],
        where: str,
    ) -> str | None:
        """The block's HTML when it is proven not to depend on the page; None when it may. Probed
        the second time the same block appears (unique blocks such as a hero never pay for it),
        once per distinct block: a probe that reads the page or fails proves nothing (the block
        is then rendered as usual, which also raises any error as usual)."""
        free = (*key[:3], _ANY_PAGE, *key[4:])
        html = self._fragments.get(free)
        if html is not None or free in self._reads_page:
            return html
        if free not in self._seen_free:
            self._seen_free.add(free)
            return None
        probe = _PageProbe(page_ctx)
        try:
            html = self._render_block(block, spec, name, index, probe, site, where)  # type: ignore[arg-type]
        except Exception:
            html = None
        if html is None or probe.read:
            self._reads_page.add(free)
            return None
        self._fragments[free] = html
        return html

    def _render_block(
        self,
        block: Block,
        spec: Any,
        name: str,
        index: int,
        page_ctx: dict[str, Any],
        site: dict[str, Any],
        where: str,
    ) -> str:
        try:
            props = validate_props(
                self.plan.library,
                block.component,
                block.props,
                where,
                self._saved,
                assets=self._asset_names,
            )
        except BgpubError as exc:
            raise RenderError(exc.message, where=exc.where) from exc
        context = {
            "props": self._prepare(spec.props, props, where),
            "site": site,
            "page": page_ctx,
            "block": {"index": index, "id": f"block-{index}", "component": block.component},
        }
        return self._render(name, context)

    def _resolve(self, block: Block, where: str) -> tuple[ComponentSpec, dict[str, Any]]:
        try:
            return resolve_component(self.plan.library, block.component, where, self._saved)
        except BgpubError as exc:
            raise RenderError(exc.message, where=exc.where) from exc

    def _meta(
        self,
        title: str,
        description: str,
        url: str,
        og_type: str = "website",
        card: str | None = None,
    ) -> dict[str, Any]:
        """Head data of an HTML output; `card` is its share image (default: the site's card, the
        `seo_image` setting cropped to 1200x630 when set, else drawn)."""
        plan = self.plan
        plan.asset(
            plan.snapshot.settings.get("seo_image"), f"{plan.where}, settings, seo_image"
        )  # must exist
        og_image = card or plan.site_card
        return {
            "title": title,
            "description": description,
            "canonical": plan.canonical(url),
            "og_image": plan.canonical(og_image) or og_image,
            "og_type": og_type,
            "robots": "",
            "icons": plan.images.icons.links,
            "fonts": Markup(head_links(plan.fonts)),
            "theme_color": plan.fonts.theme_color,
        }

    def render_page(self, index: int) -> bytes:
        plan = self.plan
        page = plan.snapshot.pages[index]
        url = plan.page_urls[index]
        site = {**plan.site_base, "nav": plan.nav_for(index)}
        page_ctx = {
            "slug": page.slug,
            "title": page.title,
            "url": url,
            "is_home": index == plan.home,
            **{f.name: getattr(page, f.name) for f in PAGE_FIELDS},  # every setting, for templates
        }
        site_title = site["title"]
        if index == plan.home:
            title = page.seo_title or site_title or page.title
        else:
            title = page.seo_title or f"{page.title} | {site_title}"
        meta = self._meta(
            title,
            page.seo_description or plan.snapshot.description,
            url,
            card=plan.page_cards[index],
        )
        if page.noindex:
            meta["robots"] = NOINDEX
        current = index if page.show_in_nav else -1
        regions = self.regions(page, page_ctx, site, nav_current=current)
        html = self._render(
            "base.html",
            {"site": site, "page": page_ctx, "meta": meta, "css_url": plan.css_url, **regions},
        )
        if (
            page.noindex and '<meta name="robots"' not in html
        ):  # a theme layout that omits meta.robots
            html = html.replace("</head>", f'<meta name="robots" content="{NOINDEX}">\n</head>', 1)
        html = with_head(html, plan, None, page_jsonld(plan, index))
        return with_beacon(html, plan.collector, url).encode("utf-8")

    def _chrome(self, page_ctx: dict[str, Any], site: dict[str, Any]) -> dict[str, Markup]:
        """Header and footer regions from the home page's blocks (for posts and the 404 page)."""
        home = self.plan.snapshot.pages[self.plan.home]
        regions = self.regions(home, page_ctx, site, only=("header", "footer"))
        regions["main"] = Markup("")
        return regions

    def render_post(self, index: int) -> bytes:
        """A blog post page (render/blogpages.py): `index` into the snapshot's posts."""
        return render_post_page(self, index)

    def render_thanks(self) -> bytes:
        """The thank-you page forms posted to `bgpub collect` land on (noindex, not in the sitemap)."""
        plan = self.plan
        url = plan.url(THANKS_URL)
        site = {**plan.site_base, "nav": plan.nav_for(None)}
        page_ctx = {"slug": "thanks", "title": "Thank you", "url": url, "is_home": False}
        meta = self._meta(f"Thank you | {site['title']}", "", url)
        meta["robots"] = NOINDEX
        regions = self._chrome(page_ctx, site)
        regions["main"] = thanks_main(plan.url("/"))
        html = self._render(
            "base.html",
            {"site": site, "page": page_ctx, "meta": meta, "css_url": plan.css_url, **regions},
        )
        return with_beacon(with_head(html, plan), plan.collector, url).encode("utf-8")

    def render_404(self) -> bytes:
        plan = self.plan
        url = plan.url("/404.html")
        site = {**plan.site_base, "nav": plan.nav_for(None)}
        page_ctx = {"slug": "404", "title": "Page not found", "url": url, "is_home": False}
        meta = self._meta(f"Page not found | {site['title']}", "", url)
        meta["canonical"] = ""
        meta["robots"] = NOINDEX  # an error page is never a search result
        html = self._render(
            "404.html",
            {
                "site": site,
                "page": page_ctx,
                "meta": meta,
                "css_url": plan.css_url,
                **self._chrome(page_ctx, site),
            },
        )
        html = with_head(html, plan)
        if plan.collector and plan.collector.get(
            "analytics"
        ):  # analytics see 404s; the beacon does not
            html = with_analytics(html, plan.collector["analytics"])
        return html.encode("utf-8")


def render_site(
    snapshot: ProjectSnapshot,
    library: ComponentLibrary,
    themes: ThemeSet,
    blobs: Callable[[str], bytes],
    build: BuildInfo | None = None,
) -> dict[str, bytes]:
    """Every output file of the site, path -> bytes; the same inputs always give the same bytes.

    Big sites render on every core (see `Renderer`); the result is the same either way.
    """
    from bgpub.render.incremental import Renderer

    result = Renderer(library, themes, blobs).render(snapshot, build or BuildInfo())
    return dict(result.files.items())
