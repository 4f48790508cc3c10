"""The storefront as the renderer makes it, from snapshots (no database): the three checkout modes,
hostile product text escaped in every theme, money per language, the grid's sources, and incremental
builds re-rendering exactly the pages a product change touches."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import html5lib
import pytest

from bgpub.domain.blocks import Block
from bgpub.render.components import load_library
from bgpub.render.incremental import Renderer
from bgpub.render.plan import BuildInfo
from bgpub.render.site import render_site
from bgpub.render.themes import load_themes
from bgpub.snapshot import PageSnapshot, ProductSnapshot, ProjectSnapshot, VariantSnapshot

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "sites" / "shop"
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
PARSER = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)


def _blobs(digest: str) -> bytes:
    return (STARTER / "blobs" / digest).read_bytes()


def _starter(**changes) -> ProjectSnapshot:
    """The shop starter cut down to three small pages (two with a product grid), its shared header and
    footer, and the two images they use: fast."""
    snapshot = ProjectSnapshot.from_json((STARTER / "project.json").read_bytes())
    pages = (
        PageSnapshot(slug="home", title="Home", is_home=True, blocks=(Block("product-grid", {}),)),
        PageSnapshot(slug="shop", title="Shop", blocks=(Block("product-grid", {"limit": 2}),)),
        PageSnapshot(slug="about", title="About", blocks=(Block("rich-text", {"body": "Hello."}),)),
    )
    assets = tuple(a for a in snapshot.assets if a.name in ("morning-mug.svg", "kiln-mark.svg"))
    settings = {k: v for k, v in snapshot.settings.items() if k != "seo_image"}
    slim = dataclasses.replace(snapshot, pages=pages, assets=assets, settings=settings, products=())
    return dataclasses.replace(slim, **changes)


def _render(snapshot: ProjectSnapshot, theme: str = "aurora") -> dict[str, bytes]:
    snapshot = dataclasses.replace(snapshot, theme=theme)
    return render_site(snapshot, load_library([ROOT / "components"]), load_themes([ROOT / "themes"]), _blobs,
                       BuildInfo())  # fmt: skip


def _with_products(snapshot: ProjectSnapshot, *products: ProductSnapshot) -> ProjectSnapshot:
    return dataclasses.replace(snapshot, products=tuple(products))


MUG = ProductSnapshot(
    slug="mug", name="Mug", price_cents=2800, currency="GBP", description="A *mug*.", image="morning-mug.svg",
    tags=("Mugs",), variants=(VariantSnapshot(name="S", options={"Size": "S"}, sku="M-S", stock=2),
                              VariantSnapshot(name="L", options={"Size": "L"}, stock=0)),
)  # fmt: skip


def _buy(files: dict[str, bytes], slug: str = "mug"):
    tree = PARSER.parse(files[f"products/{slug}/index.html"])
    return [el for el in tree.iter() if "shop-offer__buy" in (el.get("class") or "")], tree


def test_the_three_checkout_modes_and_sold_out():
    plain = _with_products(_starter(), MUG)
    buys, _ = _buy(_render(plain))
    assert [(b.tag, (b.get("href") or "")[:7], b.get("disabled")) for b in buys] == [
        ("a", "mailto:", None),
        ("button", "", ""),
    ]
    collector = {"url": "https://collect.example", "project": "p1", "stamp": "x", "checkout": True}
    selling = _with_products(
        _starter(settings={**_starter().settings, "collector": collector}), MUG
    )
    buys, tree = _buy(_render(selling))
    forms = [f for f in tree.iter("form") if f.get("action") == "https://collect.example/checkout"]
    assert len(forms) == 1 and forms[0].get("method") == "post"
    fields = {i.get("name"): i.get("value") for i in forms[0].iter("input")}
    assert fields == {"project": "p1", "product": "mug", "variant": "M-S"}
    linked = dataclasses.replace(MUG, payment_link="https://buy.stripe.com/all",
                                 variants=(dataclasses.replace(MUG.variants[0], payment_link="https://buy.stripe.com/s"),
                                           MUG.variants[1]))  # fmt: skip
    buys, tree = _buy(_render(_with_products(_starter(settings=selling.settings), linked)))
    assert [b.get("href") for b in buys] == [
        "https://buy.stripe.com/s",
        None,
    ]  # the variant's link wins
    assert not list(tree.iter("form"))  # a Payment Link needs no form


@pytest.mark.parametrize("theme", ["aurora", "midnight", "terracotta"])
def test_hostile_product_text_is_escaped_in_every_theme(theme):
    evil = ProductSnapshot(
        slug="evil", name=HOSTILE, price_cents=100, currency="EUR", description=HOSTILE + "\n\n[x](javascript:alert(1))",
        tags=(HOSTILE,), sku=HOSTILE, image="morning-mug.svg",
        variants=(VariantSnapshot(name=HOSTILE, options={HOSTILE: HOSTILE}, sku="E-1"),),
    )  # fmt: skip
    files = _render(_with_products(_starter(), evil), theme)
    for path, data in files.items():
        if path.endswith(".html"):
            PARSER.parse(data)  # strict: any parse error raises
            assert b"<script>alert(1)" not in data and b"<img src=x" not in data, path
            assert b'href="javascript' not in data.lower(), path
    page = files["products/evil/index.html"].decode()
    ld = [
        json.loads(s.split(">", 1)[1].rsplit("</script>", 1)[0])
        for s in page.split('<script type="application/ld+json"')[1:]
    ]
    assert any(d.get("@type") == "Product" and d["name"] == HOSTILE for d in ld)


def test_money_follows_the_site_language():
    euros = dataclasses.replace(MUG, currency="EUR", variants=())
    yen = dataclasses.replace(MUG, slug="tea", currency="JPY", price_cents=2800, variants=())
    files = _render(_with_products(_starter(language="fr"), euros, yen))
    assert "28,00\u00a0€" in files["products/mug/index.html"].decode()
    assert (
        "2\u202f800" in files["products/tea/index.html"].decode()
        or "2 800" in files["products/tea/index.html"].decode()
    )
    files = _render(_with_products(_starter(language="en"), dataclasses.replace(MUG, variants=())))
    assert "£28.00" in files["products/mug/index.html"].decode()


def _grid_page(props: dict) -> PageSnapshot:
    return PageSnapshot(slug="picks", title="Picks", blocks=(Block("product-grid", props),))


def test_the_grid_shows_all_latest_a_collection_or_picked_products():
    a = dataclasses.replace(MUG, slug="a", name="Alpha", tags=("Mugs",), variants=())
    b = dataclasses.replace(MUG, slug="b", name="Beta", tags=("Plates",), variants=())
    c = dataclasses.replace(
        MUG, slug="c", name="Gamma", tags=("Mugs",), variants=(), status="DRAFT"
    )
    for props, names in (
        ({}, ["Alpha", "Beta"]),
        ({"source": "latest"}, ["Beta", "Alpha"]),
        ({"source": "collection", "collection": "mugs"}, ["Alpha"]),
        ({"source": "picked", "picked": "b, a, c, ghost"}, ["Beta", "Alpha"]),
    ):
        snapshot = _with_products(_starter(), a, b, c)
        snapshot = dataclasses.replace(snapshot, pages=snapshot.pages + (_grid_page(props),))
        tree = PARSER.parse(_render(snapshot)["picks/index.html"])
        links = [
            (el.text, el.get("href"))
            for el in tree.iter("a")
            if "c-product-grid__title-link" in (el.get("class") or "")
        ]
        assert [n for n, _ in links] == names, props
        assert all(
            href == {"Alpha": "/products/a/", "Beta": "/products/b/"}[n] for n, href in links
        )
        assert "products/c/index.html" not in _render(snapshot)  # a draft gets no page


def test_a_product_change_re_renders_its_page_its_collections_and_grid_pages_only():
    renderer = Renderer(load_library([ROOT / "components"]), load_themes([ROOT / "themes"]), _blobs)
    other = dataclasses.replace(MUG, slug="plate", name="Plate", tags=("Plates",), variants=())
    before = _with_products(_starter(), MUG, other)
    renderer.render(before)
    after = _with_products(_starter(), dataclasses.replace(MUG, price_cents=3000), other)
    rendered = set(renderer.render(after).rendered)
    html = {p for p in rendered if p.endswith(".html")}
    assert {
        "products/mug/index.html",
        "collections/mugs/index.html",
        "index.html",
        "shop/index.html",
    } <= html
    assert "products/plate/index.html" not in html and "collections/plates/index.html" not in html
    assert "about/index.html" not in html  # no product grid there
    assert renderer.render(after).rendered == ()  # nothing changed: nothing re-rendered
