"""Stripe Checkout Sessions for `POST /checkout`: one product or variant, at today's price, through
the official `stripe` library with the project's own secret key.

What the session carries comes back in `checkout.session.completed` (services.order_intake):
`metadata.bgpub_items` = `[[ref, quantity, unit amount]]` and `bgpub_project`; the line's product
data carries `bgpub_ref` too, so an expanded `line_items` names it as well. The secret key is the
`api_key` of the project's enabled STRIPE integration (encrypted at rest). `BGPUB_STRIPE_API_BASE`
points the library at a local stand-in (stripe-mock, or the tests' recorder); unset, it is Stripe's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import stripe

from bgpub.db.enums import IntegrationType, ProductStatus
from bgpub.db.models import Integration, Product, ProductVariant, Project
from bgpub.errors import BgpubError, Conflict, InvalidInput, NotFound
from bgpub.services import secrets

if TYPE_CHECKING:
    from stripe.params.checkout import SessionCreateParams

API_BASE_ENV = "BGPUB_STRIPE_API_BASE"
MAX_QUANTITY = 10
WHERE = "checkout"


class NotOnSale(BgpubError):
    """The product exists but is not sold now (a draft or archived product)."""


class SoldOut(Conflict):
    """Tracked stock is gone, or below the quantity asked for."""


class StripeUnavailable(BgpubError):
    """Stripe (or the configured stand-in) refused or could not be reached."""


@dataclass(frozen=True)
class CheckoutItem:
    """What one buy button sells, as the session will charge it."""

    project_id: str
    ref: str  # v_<variant id> or p_<product id>
    name: str
    unit_cents: int
    currency: str
    quantity: int
    base_url: str


def _stripe_key(project: Project) -> str | None:
    rows = Integration.select().where(
        (Integration.project == project)
        & (Integration.type == IntegrationType.STRIPE)
        & Integration.enabled
    )
    for row in rows:
        plain = secrets.decrypt_or_none(row.config_encrypted)
        config = json.loads(plain) if plain else {}
        if (
            isinstance(config, dict)
            and isinstance(config.get("api_key"), str)
            and config["api_key"]
        ):
            found: str | None = config["api_key"]
            return found
    return None


def _quantity(value: object) -> int:
    text = str(value if value not in (None, "") else "1").strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_QUANTITY:
        raise InvalidInput(
            f"the quantity must be 1 to {MAX_QUANTITY}", where=WHERE, field="quantity"
        )
    return int(text)


def _text(value: object, field: str, limit: int = 200) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidInput(f"the form names no {field}", where=WHERE, field=field)
    return value.strip()


def _on_sale(product: Product) -> bool:
    found: bool = product.status == ProductStatus.ACTIVE
    return found


def _stock_allows(stock: int | None, quantity: int, name: str) -> None:
    if stock is None:
        return
    if stock <= 0:
        raise SoldOut(f"{name} is sold out", where=WHERE)
    if quantity > stock:
        raise SoldOut(f"only {stock} of {name} left", where=WHERE)


def _chosen(variants: list[ProductVariant], ref: object) -> ProductVariant | None:
    """The variant a buy button names: by id, else by SKU, else by name (what published pages
    carry: the snapshot holds no row ids)."""
    if not isinstance(ref, str):
        return None
    matchers: tuple[Callable[[ProductVariant], bool], ...] = (
        lambda v: v.id == ref,
        lambda v: v.sku == ref,
        lambda v: v.name == ref,
    )
    for matches in matchers:
        found = [v for v in variants if matches(v)]
        if len(found) == 1:
            return found[0]
    return None


def checkout_item(
    project_ref: object, product_slug: object, variant_id: object, quantity: object
) -> CheckoutItem:
    """The item a buy button posted, checked: NotFound for anything unknown, NotOnSale for a draft
    or archived product, SoldOut when tracked stock cannot cover it, Conflict when the project has no
    Stripe integration or base URL."""
    ref = _text(project_ref, "project")
    slug = _text(product_slug, "product")
    count = _quantity(quantity)
    project = Project.get_or_none(Project.id == ref)
    if project is None:
        raise NotFound("no such shop", where=WHERE)
    product = Product.get_or_none((Product.project == project) & (Product.slug == slug))
    if product is None:
        raise NotFound(f"no product {slug!r} in this shop", where=WHERE)
    if not _on_sale(product):
        raise NotOnSale(f"{product.name} is not on sale", where=WHERE)
    variants = list(ProductVariant.select().where(ProductVariant.product == product))
    if variant_id in (None, "") and variants:
        raise InvalidInput(f"choose one of {product.name}'s options", where=WHERE, field="variant")
    base = str((project.settings or {}).get("base_url") or "").rstrip("/")
    if not base:
        raise Conflict("this shop has no base URL to come back to", where=WHERE)
    if _stripe_key(project) is None:
        raise Conflict("this shop takes no card payments (no Stripe integration)", where=WHERE)
    if variant_id in (None, ""):
        _stock_allows(product.stock, count, product.name)
        return CheckoutItem(
            project.id,
            f"p_{product.id}",
            product.name[:200],
            product.price_cents,
            product.currency,
            count,
            base,
        )
    variant = _chosen(variants, variant_id)
    if variant is None:
        raise NotFound(f"{product.name} has no such option", where=WHERE)
    name = f"{product.name} ({variant.name})"[:200]
    _stock_allows(variant.stock, count, name)
    price = variant.price_cents if variant.price_cents is not None else product.price_cents
    return CheckoutItem(project.id, f"v_{variant.id}", name, price, product.currency, count, base)


def session_params(item: CheckoutItem, return_path: str) -> dict[str, Any]:
    """The Checkout Session request: one line at the price shown, metadata naming what it is."""
    items = json.dumps([[item.ref, item.quantity, item.unit_cents]], separators=(",", ":"))
    tags = {"bgpub_project": item.project_id, "bgpub_items": items}
    return {
        "mode": "payment",
        "line_items": [
            {
                "quantity": item.quantity,
                "price_data": {
                    "currency": item.currency.lower(),
                    "unit_amount": item.unit_cents,
                    "product_data": {"name": item.name, "metadata": {"bgpub_ref": item.ref}},
                },
            }
        ],
        "metadata": tags,
        "payment_intent_data": {"metadata": {"bgpub_project": item.project_id}},
        "success_url": f"{item.base_url}/thanks/?checkout={{CHECKOUT_SESSION_ID}}",
        "cancel_url": item.base_url + return_path,
    }


def create_checkout_session(item: CheckoutItem, return_path: str = "/") -> str:
    """The URL of a new Checkout Session for the item (Stripe's hosted payment page)."""
    project = Project.get_by_id(item.project_id)
    key = _stripe_key(project)
    if key is None:
        raise Conflict("this shop takes no card payments (no Stripe integration)", where=WHERE)
    base = os.environ.get(API_BASE_ENV, "").strip()
    client = stripe.StripeClient(
        key, base_addresses={"api": base} if base else None, max_network_retries=1
    )
    try:
        params = cast(
            "SessionCreateParams", session_params(item, return_path)
        )  # a JSON-shaped dict
        session = client.v1.checkout.sessions.create(params=params)
    except stripe.StripeError as exc:
        message = getattr(exc, "user_message", None) or "the payment service refused the checkout"
        raise StripeUnavailable(str(message)[:200], where=WHERE) from None
    url = getattr(session, "url", None)
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise StripeUnavailable("the payment service gave no checkout page", where=WHERE)
    return url
