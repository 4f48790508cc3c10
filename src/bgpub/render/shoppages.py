"""Product and collection pages: HTML through the theme's `product.html` / `collection.html`, JSON-LD
`Product` with its `Offer`s, Open Graph `product` tags, and the keys incremental builds compare."""

from __future__ import annotations

import hashlib
from html import escape
from typing import TYPE_CHECKING, Any

from bgpub.render.beacon import with_beacon
from bgpub.render.blogpages import with_head
from bgpub.render.jsonld import script

if TYPE_CHECKING:
    from bgpub.render.plan import SitePlan
    from bgpub.render.site import PageRenderer

AVAILABILITY = {True: "https://schema.org/OutOfStock", False: "https://schema.org/InStock"}


def _absolute(plan: SitePlan, url: str) -> str:
    return plan.canonical(url) or url


def product_context(pages: PageRenderer, n: int) -> dict[str, Any]:
    plan = pages.plan
    shop = plan.shop
    product = plan.snapshot.products[shop.indices[n]]
    card = shop.cards[n]
    where = f"{plan.where}, product {product.slug}"
    images = [
        plan.asset(name, f"{where}, image") for name in (product.image, *product.gallery) if name
    ]
    return {
        **card,
        "description_html": pages.markdown.render(product.description, pages.prefix),
        "images": images,
        "offers": shop.offers(product),
        "has_variants": bool(product.variants),
        "option_names": list(product.variants[0].options) if product.variants else [],
        "weight_grams": product.weight_grams,
        "sku": product.sku,
    }


def product_jsonld(plan: SitePlan, context: dict[str, Any], currency: str) -> str:
    url = _absolute(plan, context["url"])
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": context["name"],
        "url": url,
        "offers": [
            {
                "@type": "Offer",
                "name": offer["name"],
                "price": offer["amount"],
                "priceCurrency": currency,
                "availability": AVAILABILITY[offer["sold_out"]],
                "url": url,
                **({"sku": offer["sku"]} if offer["sku"] else {}),
            }
            for offer in context["offers"]
        ],
    }
    if context["description"]:
        data["description"] = context["description"]
    if context["images"]:
        data["image"] = [_absolute(plan, image.url) for image in context["images"]]
    if context["sku"]:
        data["sku"] = context["sku"]
    return script(data)


def og_product_tags(context: dict[str, Any], currency: str) -> str:
    """Open Graph `product:` tags: the first offer's price and whether anything can be bought."""
    first = context["offers"][0]
    available = "out of stock" if context["sold_out"] else "in stock"
    return (
        f'<meta property="product:price:amount" content="{escape(first["amount"])}">\n'
        f'<meta property="product:price:currency" content="{escape(currency)}">\n'
        f'<meta property="product:availability" content="{available}">\n'
    )


def render_product_page(pages: PageRenderer, n: int) -> bytes:
    plan = pages.plan
    product = plan.snapshot.products[plan.shop.indices[n]]
    context = product_context(pages, n)
    url = context["url"]
    site = {**plan.site_base, "nav": plan.nav_for(None)}
    page_ctx = {
        "slug": f"products/{product.slug}",
        "title": product.name,
        "url": url,
        "is_home": False,
    }
    meta = pages._meta(
        f"{product.name} | {site['title']}",
        context["description"] or plan.snapshot.description,
        url,
        "product",
        card=plan.shop.share_cards[n],
    )
    if context["draft"]:
        meta["robots"] = "noindex"
    html = pages._render(
        "product.html",
        {
            "site": site,
            "page": page_ctx,
            "meta": meta,
            "product": context,
            "checkout": {"mode": plan.shop.mode, "email": plan.shop.email},
            "css_url": plan.css_url,
            **pages._chrome(page_ctx, site),
        },
    )
    extra = og_product_tags(context, product.currency) + product_jsonld(
        plan, context, product.currency
    )
    html = with_head(html, plan, None, extra)
    return with_beacon(html, plan.collector, url).encode("utf-8")


def render_collection_page(pages: PageRenderer, n: int) -> bytes:
    plan = pages.plan
    collection = plan.shop.collections[n]
    url = collection["url"]
    site = {**plan.site_base, "nav": plan.nav_for(None)}
    page_ctx = {
        "slug": f"collections/{collection['slug']}",
        "title": collection["name"],
        "url": url,
        "is_home": False,
    }
    meta = pages._meta(f"{collection['name']} | {site['title']}", plan.snapshot.description, url)
    cards = [plan.shop.cards[i] for i in collection["cards"]]
    html = pages._render(
        "collection.html",
        {
            "site": site,
            "page": page_ctx,
            "meta": meta,
            "collection": {**collection, "products": cards},
            "css_url": plan.css_url,
            **pages._chrome(page_ctx, site),
        },
    )
    return with_beacon(with_head(html, plan), plan.collector, url).encode("utf-8")


def _hash(*parts: object) -> str:
    text = "\0".join(repr(p) for p in parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def product_key(plan: SitePlan, n: int, chrome: str) -> str:
    """Everything a product page reads: the product (whole), its collections, the checkout settings."""
    product = plan.snapshot.products[plan.shop.indices[n]]
    assets = [plan.asset_refs.get(name) for name in (product.image, *product.gallery) if name]
    assets += [plan.asset_refs.get(v.image) for v in product.variants if v.image]
    return _hash(
        chrome,
        product,
        plan.shop.cards[n],
        plan.shop.share_cards[n],
        plan.shop.mode,
        plan.shop.email,
        plan.snapshot.settings.get("collector"),
        [repr(a) for a in assets],
    )


def collection_key(plan: SitePlan, n: int, chrome: str) -> str:
    """A collection page reads the cards of its products (a product change in it re-renders it)."""
    collection = plan.shop.collections[n]
    return _hash(
        chrome,
        collection["name"],
        collection["url"],
        [plan.shop.cards[i] for i in collection["cards"]],
    )
