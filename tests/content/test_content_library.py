"""The component library: manifests load, templates compile, and every component renders safely in both themes."""

from __future__ import annotations

import re
import tomllib

import jinja2
import pytest
from content_checks import (
    COMPONENTS_DIR,
    THEME_NAMES,
    a11y_problems,
    broken_links,
    html_pages,
    library,
    render,
)
from showcase import BLOBS, example_props, showcase

from bgpub.db.enums import ComponentType
from bgpub.domain.props import PROP_TYPES

KEYS = sorted(p.name for p in COMPONENTS_DIR.iterdir() if (p / "component.toml").is_file())
REQUIRED = {
    "navbar",
    "footer",
    "hero",
    "rich-text",
    "image",
    "gallery",
    "feature-grid",
    "pricing-table",
    "testimonials",
    "faq",
    "cta",
    "contact-form",
    "newsletter-signup",
    "blog-post-list",
    "product-grid",
    "columns",
}
HOSTILE = (
    '"><script>alert(1)</script><img src=x onerror=alert(1)>',
    "<script>alert(1)</script>",
    "<script>x",
    "<b>",
)
SHARED_CLASSES = {
    "button",
    "button--primary",
    "button--secondary",
    "button--large",
    "section-header",
    "section-title",
    "section-intro",
    "prose",
    "visually-hidden",
}


def test_library_has_the_components_real_sites_need():
    assert len(KEYS) >= 16
    assert REQUIRED <= set(KEYS)
    assert set(library()) == set(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_manifest_is_complete_and_consistent(key):
    data = tomllib.loads((COMPONENTS_DIR / key / "component.toml").read_text("utf-8"))
    assert data["key"] == key and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key)
    assert data["type"] in {t.value for t in ComponentType}
    assert data["region"] in ("header", "main", "footer")
    assert data["name"] and data["description"]
    for prop in data["props"]:
        assert prop["help"], f"{key}.{prop['name']} has no help"
        for item in prop.get("fields", []):
            assert item["help"], f"{key}.{prop['name']}.{item['name']} has no help"
            assert item["name"] not in ("items", "keys", "values", "get"), (
                "shadows a mapping method"
            )


def test_every_prop_type_is_used_somewhere():
    used = {
        spec.type for c in library().values() for prop in c.props for spec in (prop, *prop.fields)
    }
    assert used == set(PROP_TYPES)


@pytest.mark.parametrize("key", KEYS)
def test_template_compiles_and_never_marks_user_text_safe(key):
    source = (COMPONENTS_DIR / key / "template.html").read_text("utf-8")
    jinja2.Environment(autoescape=True).parse(source)
    assert "|safe" not in source.replace(" ", "") and "Markup(" not in source
    assert "<script" not in source and "javascript:" not in source
    assert re.search(r"\son[a-z]+=", source) is None, "inline event handler"


@pytest.mark.parametrize("key", KEYS)
def test_css_classes_are_namespaced(key):
    """Every class a component writes is its own `c-...` class or one of the few shared theme classes."""
    source = (COMPONENTS_DIR / key / "template.html").read_text("utf-8")
    static = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", source)
    classes = {c for attr in re.findall(r'class="([^"]*)"', static) for c in attr.split()}
    stray = {c for c in classes if not c.startswith("c-") and c not in SHARED_CLASSES}
    assert not stray, stray
    css = COMPONENTS_DIR / key / "style.css"
    if css.is_file():
        selectors = re.findall(
            r"\.([a-zA-Z][\w-]*)", re.sub(r"\{[^}]*\}", "{}", css.read_text("utf-8"))
        )
        assert all(s.startswith("c-") for s in selectors), selectors


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_every_component_renders_accessibly_in_each_theme(theme):
    files = render(showcase(KEYS), theme, BLOBS.__getitem__)
    trees = html_pages(files)  # strict HTML5 parse of every page
    for key in KEYS:
        assert a11y_problems(trees[f"page-{key}/index.html"]) == [], key
    assert broken_links(files, trees) == []


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_components_render_empty_site_data(theme):
    files = render(
        showcase(["blog-post-list", "product-grid"], with_data=False), theme, BLOBS.__getitem__
    )
    assert b"No posts yet" in files["page-blog-post-list/index.html"]
    assert b"New products are on their way" in files["page-product-grid/index.html"]


def _hostile_props(spec_props) -> dict:
    """Every text-like prop (and list field) set to an injection attempt."""
    props = {}
    for spec in spec_props:
        if spec.type in ("text", "multiline", "markdown"):
            room = spec.max_length or 10_000
            props[spec.name] = next(p for p in HOSTILE if len(p) <= room)
        elif spec.type == "list":
            default = list(spec.default or [])
            if default:
                props[spec.name] = [{**item, **_hostile_props(spec.fields)} for item in default]
    return props


@pytest.mark.parametrize("key", KEYS)
def test_user_text_cannot_inject_markup(key):
    spec = library()[key]
    props = {**example_props(key), **_hostile_props(spec.props)}
    files = render(showcase([key], props={key: props}), "aurora", BLOBS.__getitem__)
    page = files[f"page-{key}/index.html"].decode()
    # the page's JSON-LD (escaped JSON, no "<" inside: render/jsonld.py) is data, not script
    page = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", page)
    assert "<script" not in page and "<img src=x" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page or "&lt;script" in page
    html_pages({"page.html": files[f"page-{key}/index.html"]})
