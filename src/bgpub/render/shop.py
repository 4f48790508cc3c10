"""The storefront's plan: which products and collections get pages, their URLs, and what a card, a
product page and its buy buttons show. Pure: built from the snapshot and the site plan only.

A product page exists for each ACTIVE product (the preview also shows drafts), at
`/products/<slug>/`; a collection page for each tag, at `/collections/<tag-slug>/`. Buying follows one
rule per offer (a variant, or the product without variants): its Stripe Payment Link when set (the
variant's, else the product's); else, with a Stripe integration and a collector, a form posting
project, product and variant to `{collector}/checkout`; else "ask for this item" by e-mail. A tracked
stock at zero is sold out: no buy action at all.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from bgpub.domain.enums import ProductStatus
from bgpub.domain.slugs import slugify
from bgpub.errors import RenderError
from bgpub.money import decimal_text, format_money
from bgpub.snapshot import ProductSnapshot, VariantSnapshot

if TYPE_CHECKING:  # the site plan builds this plan
    from bgpub.render.plan import SitePlan

PRODUCTS_DIR = "products"
COLLECTIONS_DIR = "collections"
EMAIL_SETTINGS = ("shop_email", "contact_email", "email")
_MARKUP = re.compile(r"[*_`#>\[\]]|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)")


def plain(markdown: str, limit: int = 240) -> str:
    """The first paragraph of Markdown as plain text (cards, meta descriptions, JSON-LD)."""
    first = next((p for p in re.split(r"\n\s*\n", markdown.strip()) if p.strip()), "")
    text = " ".join(_MARKUP.sub("", first).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def checkout_mode(settings: dict[str, Any]) -> str:
    """`collector` when buy buttons can post to the collector's /checkout, else `none`
    (Payment Links work either way)."""
    collector = settings.get("collector")
    if (
        isinstance(collector, dict)
        and collector.get("url")
        and collector.get("project")
        and collector.get("checkout")
    ):
        return "collector"
    return "none"


def shop_email(settings: dict[str, Any]) -> str:
    for name in EMAIL_SETTINGS:
        value = settings.get(name)
        if isinstance(value, str) and "@" in value and not re.search(r"[\s<>\"'?&]", value):
            return value
    return ""


class ShopPlan:
    """Product and collection outputs of one snapshot, and the cards the product grid shows."""

    def __init__(self, plan: SitePlan):
        snap = plan.snapshot
        self.plan = plan
        self.language = snap.language or "en"
        self.mode = checkout_mode(snap.settings)
        self.email = shop_email(snap.settings)
        shown = (
            (ProductStatus.ACTIVE, ProductStatus.DRAFT)
            if plan.build.drafts
            else (ProductStatus.ACTIVE,)
        )
        self.indices = [i for i, p in enumerate(snap.products) if p.status in shown]
        taken: set[str] = set()  # every other output's path, when there are products to place
        if self.indices:
            taken = (
                set(plan.page_paths) | set(plan.post_paths) | {o.path for o in plan.blog_outputs}
            )
        self.paths: list[str] = []
        for i in self.indices:
            product = snap.products[i]
            where = f"{plan.where}, product {product.slug}"
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", product.slug or ""):
                raise RenderError(f"product slug {product.slug!r} is not a safe path", where=where)
            path = f"{PRODUCTS_DIR}/{product.slug}/index.html"
            if path in taken:
                raise RenderError(f"two outputs write {path}", where=where)
            taken.add(path)
            self.paths.append(path)
        self.cards = [self._card(n, i) for n, i in enumerate(self.indices)]
        # og:image of each product page: its first picture cropped to 1200x630, or a drawn card when
        # that picture cannot be cropped (an SVG, none): networks show neither SVG nor odd sizes
        self.share_cards = [
            plan.images.card(
                f"products-{snap.products[i].slug}", snap.products[i].name, snap.products[i].image
            )
            for i in self.indices
        ]
        self.collections: list[dict[str, Any]] = []
        by_slug: dict[str, dict[str, Any]] = {}
        for n, i in enumerate(self.indices):
            for tag in snap.products[i].tags:
                slug = slugify(tag, fallback="collection")
                found = by_slug.get(slug)
                if found is None:
                    path = f"{COLLECTIONS_DIR}/{slug}/index.html"
                    if path in taken:
                        raise RenderError(
                            f"two outputs write {path}", where=f"{plan.where}, collection {tag}"
                        )
                    taken.add(path)
                    found = by_slug[slug] = {
                        "name": tag,
                        "slug": slug,
                        "url": plan.url(f"/{COLLECTIONS_DIR}/{slug}/"),
                        "path": path,
                        "cards": [],
                    }
                    self.collections.append(found)
                if n not in found["cards"]:
                    found["cards"].append(n)
        for card in self.cards:
            card["collections"] = [
                {"name": c["name"], "slug": c["slug"], "url": c["url"]}
                for c in self.collections
                if card["index"] in c["cards"]
            ]

    def money(self, minor: int, currency: str) -> str:
        return format_money(minor, currency, self.language)

    def _card(self, n: int, i: int) -> dict[str, Any]:
        """What the product grid and collection pages show of a product."""
        product = self.plan.snapshot.products[i]
        where = f"{self.plan.where}, product {product.slug}"
        prices = [
            product.price_cents if v.price_cents is None else v.price_cents
            for v in product.variants
        ]
        low = min(prices) if prices else product.price_cents
        return {
            "index": n,
            "name": product.name,
            "slug": product.slug,
            "url": self.plan.url(f"/{PRODUCTS_DIR}/{product.slug}/"),
            "price": self.money(low, product.currency),
            "price_from": bool(prices) and len(set(prices)) > 1,
            "price_cents": low,
            "currency": product.currency,
            "compare_at": self.money(product.compare_at_cents, product.currency)
            if product.compare_at_cents and product.compare_at_cents > low
            else "",
            "description": plain(product.description),
            "image": self.plan.asset(product.image, f"{where}, image"),
            "tags": list(product.tags),
            "collection_keys": sorted(
                {t.lower() for t in product.tags} | {slugify(t) for t in product.tags}
            ),
            "sold_out": sold_out(product),
            "draft": product.status != "ACTIVE",
        }

    def offers(self, product: ProductSnapshot) -> list[dict[str, Any]]:
        """One offer per variant (or the product itself): price, stock state and its buy action."""
        where = f"{self.plan.where}, product {product.slug}"
        if not product.variants:
            return [self._offer(product, None, where)]
        return [self._offer(product, v, f"{where}, variant {v.name}") for v in product.variants]

    def _offer(
        self, product: ProductSnapshot, variant: VariantSnapshot | None, where: str
    ) -> dict[str, Any]:
        price = (
            product.price_cents
            if variant is None or variant.price_cents is None
            else variant.price_cents
        )
        stock = product.stock if variant is None else variant.stock
        out = stock is not None and stock <= 0
        link = (variant.payment_link if variant is not None else "") or product.payment_link
        collector = self.plan.snapshot.settings.get("collector") or {}
        if out:
            buy: dict[str, Any] = {"kind": "sold-out"}
        elif link:
            buy = {"kind": "link", "href": link}
        elif self.mode == "collector":
            buy = {
                "kind": "form",
                "action": f"{collector['url']}/checkout",
                "fields": {
                    "project": collector["project"],
                    "product": product.slug,
                    "variant": (variant.sku or variant.name) if variant is not None else "",
                },
            }
        else:
            label = product.name + (f" ({variant.name})" if variant is not None else "")
            subject = quote(f"Order: {label}", safe="")
            buy = {"kind": "ask", "href": f"mailto:{self.email}?subject={subject}"}
        compare = (
            product.compare_at_cents if variant is None or variant.price_cents is None else None
        )
        return {
            "name": variant.name if variant is not None else product.name,
            "options": dict(variant.options) if variant is not None else {},
            "sku": (variant.sku if variant is not None else product.sku) or "",
            "price": self.money(price, product.currency),
            "price_cents": price,
            "amount": decimal_text(price, product.currency),
            "compare_at": self.money(compare, product.currency)
            if compare and compare > price
            else "",
            "stock": stock,
            "sold_out": out,
            "image": self.plan.asset(variant.image, f"{where}, image")
            if variant is not None
            else None,
            "buy": buy,
        }

    def sitemap_entries(self) -> tuple[tuple[str, str], ...]:
        """(url, lastmod) of product pages (the stored product's last edit; "" from a JSON snapshot,
        which the sitemap fills in) and collection pages (their newest product's)."""
        products = self.plan.snapshot.products
        dates = [getattr(products[i], "updated_at", "") or "" for i in self.indices]
        entries = [
            (card["url"], dates[n]) for n, card in enumerate(self.cards) if not card["draft"]
        ]
        entries += [
            (c["url"], max((dates[n] for n in c["cards"]), default="")) for c in self.collections
        ]
        return tuple(entries)


def sold_out(product: ProductSnapshot) -> bool:
    """Every variant (or the product without variants) has a tracked stock at zero."""
    if product.variants:
        return all(v.stock is not None and v.stock <= 0 for v in product.variants)
    return product.stock is not None and product.stock <= 0


def has_checkout(snapshot_settings: dict[str, Any], products: tuple[ProductSnapshot, ...]) -> bool:
    """Some way to pay exists for every active product: Payment Links on each offer, or the collector's
    checkout. False is what `bgpub publish` warns about."""
    if checkout_mode(snapshot_settings) == "collector":
        return True
    active = [p for p in products if p.status == "ACTIVE"]
    return all(
        p.payment_link or (p.variants and all(v.payment_link for v in p.variants)) for p in active
    )
