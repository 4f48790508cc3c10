"""Failures a person can act on: broken templates name file:line, bad data names the block or setting."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from render_fixtures import FIXTURES

from bgpub.domain.blocks import Block
from bgpub.errors import RenderError
from bgpub.render import load_library, load_themes, render_site
from bgpub.snapshot import PageSnapshot


@pytest.fixture
def components(tmp_path):
    target = tmp_path / "components"
    shutil.copytree(FIXTURES / "components", target)
    return target


@pytest.fixture
def theme_dir(tmp_path):
    target = tmp_path / "themes"
    shutil.copytree(FIXTURES / "themes", target)
    return target


def test_component_syntax_error_names_file_and_line(components, themes, blob_store, make_snapshot):
    template = components / "cta" / "template.html"
    template.write_text("<section>\n<p>ok</p>\n{% if props.url %}\n<a>{{ props.text }</a>\n")
    with pytest.raises(RenderError) as info:
        render_site(make_snapshot(), load_library([components]), themes, blob_store)
    assert info.value.where == f"{template}:4"
    assert "syntax error" in info.value.message


def test_component_undefined_value_names_file_and_line(
    components, themes, blob_store, make_snapshot
):
    template = components / "cta" / "template.html"
    template.write_text("<section>\n\n<p>{{ props.nonexistent.deeper }}</p>\n</section>\n")
    with pytest.raises(RenderError) as info:
        render_site(make_snapshot(), load_library([components]), themes, blob_store)
    assert info.value.where == f"{template}:3"
    assert "undefined" in info.value.message


def test_theme_layout_error_names_file_and_line(library, theme_dir, blob_store, make_snapshot):
    base = theme_dir / "fancy" / "templates" / "base.html"
    lines = base.read_text().splitlines()
    lines.insert(2, "{{ meta.nope() }}")
    base.write_text("\n".join(lines))
    with pytest.raises(RenderError) as info:
        render_site(make_snapshot(theme="fancy"), library, load_themes([theme_dir]), blob_store)
    assert info.value.where == f"{base}:3"


def test_theme_override_template_syntax_error(library, theme_dir, blob_store, make_snapshot):
    override = theme_dir / "fancy" / "components" / "cta.html"
    override.write_text("{% for x in %}\n")
    with pytest.raises(RenderError) as info:
        render_site(make_snapshot(theme="fancy"), library, load_themes([theme_dir]), blob_store)
    assert info.value.where == f"{override}:1"


def test_unknown_theme(library, themes, blob_store, make_snapshot):
    with pytest.raises(RenderError, match="unknown theme 'nope'") as info:
        render_site(make_snapshot(theme="nope"), library, themes, blob_store)
    assert info.value.where == "project demo, theme"


def test_unknown_component_at_render(library, themes, blob_store, make_snapshot):
    snap = make_snapshot()
    page = replace(snap.pages[1], blocks=(*snap.pages[1].blocks, Block("carousel", {})))
    with pytest.raises(RenderError, match="unknown component 'carousel'") as info:
        render_site(replace(snap, pages=(snap.pages[0], page)), library, themes, blob_store)
    assert info.value.where == "project demo, page about, block 5 (carousel)"


def test_missing_asset_at_render(library, themes, blob_store, make_snapshot):
    snap = make_snapshot()
    page = replace(snap.pages[1], blocks=(Block("image", {"image": "gone.png"}),))
    with pytest.raises(RenderError, match="asset 'gone.png' does not exist") as info:
        render_site(replace(snap, pages=(snap.pages[0], page)), library, themes, blob_store)
    assert info.value.where == "project demo, page about, block 1 (image), prop image"


def test_missing_blob_bytes(library, themes, make_snapshot):
    with pytest.raises(RenderError, match="missing from the blob store"):
        render_site(make_snapshot(), library, themes, lambda digest: {}[digest])


def test_blob_bytes_must_match_their_hash(library, themes, make_snapshot):
    with pytest.raises(RenderError, match="do not match"):
        render_site(make_snapshot(), library, themes, lambda digest: b"other bytes")


@pytest.mark.parametrize(
    "slug", ["../x", "a/../../b", "/abs", "A", "x y", "assets", "", "a//b", "a/"]
)
def test_hostile_slugs_are_refused(library, themes, blob_store, make_snapshot, slug):
    snap = make_snapshot()
    page = PageSnapshot(slug=slug, title="x", blocks=())
    with pytest.raises(RenderError, match="is not a safe path"):
        render_site(replace(snap, pages=(snap.pages[0], page)), library, themes, blob_store)


def test_two_pages_with_one_path(library, themes, blob_store, make_snapshot):
    snap = make_snapshot()
    with pytest.raises(RenderError, match="two pages write about/index.html"):
        render_site(replace(snap, pages=(*snap.pages, snap.pages[1])), library, themes, blob_store)


def test_bad_base_url(library, themes, blob_store, make_snapshot):
    with pytest.raises(RenderError, match="must be an http"):
        render_site(
            make_snapshot(settings={"base_url": "javascript:alert(1)//"}),
            library,
            themes,
            blob_store,
        )


def test_no_pages(library, themes, blob_store, make_snapshot):
    with pytest.raises(RenderError, match="no pages"):
        render_site(make_snapshot(pages=()), library, themes, blob_store)


def test_broken_manifest_names_the_file(components):
    manifest = components / "hero" / "component.toml"
    manifest.write_text("key = 'hero'\n[[props]\n")
    with pytest.raises(RenderError) as info:
        load_library([components])
    assert info.value.where == str(manifest)


def test_manifest_with_unknown_prop_type(components):
    manifest = components / "cta" / "component.toml"
    manifest.write_text(manifest.read_text().replace('type = "url"', 'type = "link"'))
    with pytest.raises(RenderError, match="unknown prop type 'link'"):
        load_library([components])


def test_dynamic_include_renders_without_fragment_reuse(
    components, themes, blob_store, make_snapshot
):
    (components / "cta" / "template.html").write_text(
        '{% set part = "components/" ~ "rich-text" ~ ".html" %}'
        '{% with props = {"body": props.text} %}{% include part %}{% endwith %}\n'
    )
    files = render_site(make_snapshot(), load_library([components]), themes, blob_store)
    assert (
        b'<section id="block-3" class="rich-text">Write to us</section>'
        in files["about/index.html"]
    )
