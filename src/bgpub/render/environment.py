"""The Jinja environment, set up once per theme: strict, autoescaped, loaders stacked theme -> parent -> built-in."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from jinja2 import meta
from markupsafe import Markup

from bgpub.errors import RenderError
from bgpub.render.components import ComponentLibrary
from bgpub.render.paths import BUILTIN_DIR
from bgpub.render.themes import Theme

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def base_path(base_url: str) -> str:
    """The path part of the site's base URL without a trailing slash: `https://x.org/docs/` -> `/docs`."""
    return urlsplit(base_url).path.rstrip("/") if base_url else ""


def make_url(prefix: str) -> Callable[[str], str]:
    """`url(path)`: a site-relative path under the base path; `url('/about/')` -> `/docs/about/`."""

    def url(path: str) -> str:
        path = str(path)
        if not path.startswith("/"):
            return path  # already absolute or an anchor
        return prefix + path

    return url


def money(cents: int | float, currency: str = "EUR") -> str:
    """`1999, 'EUR'` -> `€19.99`; deterministic, no locale."""
    amount = f"{abs(cents) / 100:,.2f}"
    sign = "-" if cents < 0 else ""
    symbol = CURRENCY_SYMBOLS.get(str(currency).upper())
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency}"


class TemplateSources(jinja2.BaseLoader):
    """Finds a template in the theme, its parents, then the library (components/) or the built-in base."""

    def __init__(
        self,
        chain: list[Theme],
        library: ComponentLibrary,
        project_templates: Mapping[str, str] | None = None,
    ):
        self.chain = chain
        self.library = library
        self.project_templates = dict(project_templates or {})

    def locate(self, name: str) -> tuple[str, str]:
        """(source, file name shown in errors) for a template name."""
        if name in self.project_templates:
            return self.project_templates[name], f"project:{name}"
        theme_rel = name if name.startswith("components/") else f"templates/{name}"
        for theme in self.chain:
            if theme_rel in theme.templates:
                return theme.templates[theme_rel], str(theme.directory / theme_rel)
        if name.startswith("components/") and name.endswith(".html"):
            key = name[len("components/") : -len(".html")]
            if key in self.library:
                spec = self.library[key]
                return spec.template_source, str(spec.template_path)
        builtin = BUILTIN_DIR / "templates" / name
        if ".." not in Path(name).parts and builtin.is_file():
            return builtin.read_text("utf-8"), str(builtin)
        raise jinja2.TemplateNotFound(name)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename = self.locate(template)
        return source, filename, lambda: True


def make_environment(
    chain: list[Theme],
    library: ComponentLibrary,
    base_url: str = "",
    project_templates: Mapping[str, str] | None = None,
    bytecode_cache: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """One environment per (theme, library, base URL); templates compile once and stay cached
    (with `bytecode_cache`, also between processes: keyed by each template's source checksum)."""
    env = jinja2.Environment(
        loader=TemplateSources(chain, library, project_templates),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=bytecode_cache,
    )
    url = make_url(base_path(base_url))
    env.filters["url"] = url
    env.filters["money"] = money
    env.globals["url"] = url
    env.globals["money"] = money
    return env


def template_variables(env: jinja2.Environment, name: str) -> frozenset[str] | None:
    """Context variables a template (with what it includes or imports) reads; None when unknowable
    (a template name computed at render time). Decides which fragments may be reused between pages."""
    seen: set[str] = set()
    found: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        assert env.loader is not None  # every environment here is built with its loader
        source, filename, _ = env.loader.get_source(env, current)
        tree = env.parse(source, current, filename)
        found |= meta.find_undeclared_variables(tree)
        for ref in meta.find_referenced_templates(tree):
            if ref is None:
                return None
            todo.append(ref)
    return frozenset(found)


def template_error(exc: BaseException, fallback: str) -> RenderError:
    """A Jinja failure as a RenderError naming `file:line` of the template that failed."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or exc.name or fallback}:{exc.lineno}"
        return RenderError(f"template syntax error: {exc.message}", where=where)
    if isinstance(exc, jinja2.TemplateNotFound):
        return RenderError(f"template not found: {exc.name}", where=fallback)
    where = fallback
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith(".html") or filename.startswith("project:"):
            where = f"{filename}:{lineno}"
    kind = "undefined value" if isinstance(exc, jinja2.UndefinedError) else type(exc).__name__
    return RenderError(f"template error ({kind}): {exc}", where=where)


def safe(html: str) -> Markup:
    """Marks HTML the renderer itself produced (rendered regions) as safe for the layout."""
    return Markup(html)
