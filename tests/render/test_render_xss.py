"""An XSS corpus through every text prop type, titles, SEO fields, alt texts and post fields."""

from __future__ import annotations

from dataclasses import replace

import pytest
from render_reference import reference_render
from render_xss_check import executable_vectors

from bgpub.domain.blocks import Block
from bgpub.errors import BgpubError, InvalidInput, RenderError
from bgpub.render import load_library, load_themes, render_site, validate_props
from bgpub.render.paths import components_dirs, themes_dirs
from bgpub.snapshot import AssetSnapshot, PageSnapshot, PostSnapshot, ProductSnapshot

PAYLOADS = [
    "<script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript&#x3A;alert(1)",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    "</textarea></title></style><script>alert(1)</script>",
    "{{ 7*7 }}{% raw %}",
]
MARKDOWN_PAYLOADS = PAYLOADS + [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click]( javascript:alert(1) )",
    "![x](javascript:alert(1))",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<div onclick="alert(1)">raw html block</div>\n\ntext',
    "<script>\nalert(1)\n</script>",
    '![x" onerror="alert(1)](https://example.org/x.png)',
    '[x](https://example.org/" onmouseover="alert(1))',
    "`<script>alert(1)</script>`",
]


def _hostile_site(make_snapshot, payload: str, markdown: str):
    snap = make_snapshot()
    home = PageSnapshot(
        slug="home",
        title=payload,
        seo_title=payload,
        seo_description=payload,
        is_home=True,
        blocks=(
            Block("navbar", {"brand": payload}),
            Block(
                "hero",
                {
                    "heading": payload,
                    "subheading": payload + "\n" + payload,
                    "cta_label": payload,
                    "cta_url": "https://example.org/?q=" + payload,
                    "image": "logo.png",
                },
            ),
            Block(
                "features",
                {
                    "heading": payload,
                    "items": [{"title": payload, "text": markdown, "link": "/x/?" + payload}],
                },
            ),
            Block("rich-text", {"body": markdown}),
            Block("image", {"image": "logo.png", "caption": payload}),
            Block("post-list", {}),
            Block("product-grid", {}),
            Block("footer", {"note": payload}),
        ),
    )
    other = PageSnapshot(
        slug="other",
        title=payload,
        seo_description=payload,
        blocks=(Block("cta", {"text": payload, "url": "#" + payload}),),
    )
    return replace(
        snap,
        title=payload,
        description=payload,
        pages=(home, other),
        assets=(replace(snap.assets[0], alt=payload),),
        posts=(
            PostSnapshot(
                slug="p",
                title=payload,
                excerpt=payload,
                body=markdown,
                author=payload,
                date=payload[:10],
                cover="logo.png",
            ),
        ),
        products=(
            ProductSnapshot(
                slug="mug",
                name=payload,
                price_cents=100,
                description=payload,
                currency="EUR",
                image="logo.png",
            ),
        ),
    )


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_no_output_contains_an_executable_vector(
    library, themes, blob_store, make_snapshot, payload
):
    text = payload.replace("\n", " ").replace("\t", " ")
    snapshot = _hostile_site(make_snapshot, text, payload)
    for theme in ("plain", "fancy"):
        files = reference_render(replace(snapshot, theme=theme), library, themes, blob_store)
        pages = [p for p in files if p.endswith(".html")]
        assert (
            len(pages) == 8
        )  # 2 pages, the post, 404, the blog index, archive, author page and the product page
        for path in pages:
            assert executable_vectors(files[path]) == [], (theme, path)
            # the only script elements are JSON-LD data blocks (executable_vectors checks they hold JSON)
            lower = files[path].lower()
            assert lower.count(b"<script") == lower.count(b'<script type="application/ld+json">')


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "\u200bjavascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        " javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
    ],
)
def test_script_urls_are_refused_at_render(library, themes, blob_store, make_snapshot, url):
    snap = make_snapshot()
    page = replace(snap.pages[1], blocks=(Block("cta", {"text": "Go", "url": url}),))
    with pytest.raises(RenderError) as info:
        render_site(replace(snap, pages=(snap.pages[0], page)), library, themes, blob_store)
    assert info.value.where == "project demo, page about, block 1 (cta), prop url"


def test_token_overrides_cannot_inject_css(library, themes, blob_store, make_snapshot):
    for value in [
        "red;}body{background:url(javascript:alert(1))",
        "red</style><script>alert(1)</script>",
        "expression(alert(1))",
        "url(https://evil.example/x)",
        "#fff;color:red",
    ]:
        with pytest.raises(RenderError, match="not a colour"):
            render_site(
                make_snapshot(theme_overrides={"color-bg": value}), library, themes, blob_store
            )


def _generic_props(spec, payload: str, asset: str) -> dict:
    props = {}
    for prop in spec:
        if prop.type in ("text", "multiline", "markdown"):
            value = payload if prop.type != "text" else payload.replace("\n", " ")
            props[prop.name] = value[: prop.max_length] if prop.max_length else value
        elif prop.type == "url":
            props[prop.name] = "https://example.org/?q=" + payload.replace("\n", "")[:40]
        elif prop.type == "asset":
            props[prop.name] = asset
        elif prop.type == "list":
            props[prop.name] = [_generic_props(prop.fields, payload, asset)] * max(
                prop.min_items or 1, 1
            )
    return props


REAL = [d for d in components_dirs() if any(d.glob("*/component.toml"))]


@pytest.mark.skipif(not REAL, reason="the repository's components/ is empty")
@pytest.mark.parametrize(
    "payload",
    [
        '<script>alert(1)</script>" onmouseover="alert(1)',
        "<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))",
    ],
)
def test_real_components_escape_every_text_prop(blob_store, make_snapshot, payload):
    library = load_library(components_dirs())
    themes = load_themes(themes_dirs())
    snap = make_snapshot()
    blocks = []
    for key, spec in library.items():
        props = _generic_props(spec.props, payload, "logo.png")
        try:
            props = validate_props(library, key, props, key, assets={"logo.png"})
        except InvalidInput:
            continue  # a prop with a pattern of its own; the fixture tests cover the types
        blocks.append(Block(key, props))
    assert len(blocks) >= len(library) - 2  # nearly every component took the hostile text
    page = PageSnapshot(
        slug="home", title=payload, seo_description=payload, is_home=True, blocks=tuple(blocks)
    )
    for theme in themes:
        hostile = replace(
            snap,
            theme=theme,
            pages=(page,),
            title=payload,
            assets=(
                AssetSnapshot(
                    name="logo.png", hash=snap.assets[0].hash, mime="image/png", size=1, alt=payload
                ),
            ),
        )
        try:
            files = reference_render(hostile, library, themes, blob_store)
        except BgpubError as exc:  # pragma: no cover - shows which template broke
            pytest.fail(f"{theme}: {exc}")
        for path, data in files.items():
            if path.endswith(".html"):
                assert executable_vectors(data) == [], (theme, path)
