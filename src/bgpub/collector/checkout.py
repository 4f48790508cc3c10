"""`POST /checkout`: a product page's buy button (a plain form, no JavaScript) becomes a Stripe
Checkout Session, and the browser is sent there with a 303.

The form posts `project` (the project id, as builds write it), `product` (its slug), `variant` (its
id, SKU or name, as the product page carries it; required when the product has variants) and
optionally `quantity` (1 to 10) and `return` (the site's page to come back to if the buyer cancels).
The request must come from one of the project's domains and stay under the per-client form rate
(each checkout costs a call to Stripe). Anything unknown gets a 404 page, a product not on sale 410,
sold out 409, a malformed form 400, a shop without Stripe 409, Stripe failing 502: each a short HTML
page saying what happened, nothing created.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bgpub.collector.guards import origin_allowed, request_origin, same_site_path
from bgpub.collector.intake import BodyTooLarge, read_body
from bgpub.collector.state import collector_of
from bgpub.errors import BgpubError, InvalidInput, NotFound
from bgpub.services.checkout_sessions import (
    NotOnSale,
    SoldOut,
    StripeUnavailable,
    checkout_item,
    create_checkout_session,
)

MAX_FORM = 4 * 1024
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>{title}</title></head><body><main><h1>{title}</h1><p>{message}</p>"
    "{back}</main></body></html>"
)
STATUS = [
    (NotFound, 404, "Not found"),
    (NotOnSale, 410, "Not on sale"),
    (SoldOut, 409, "Sold out"),
    (InvalidInput, 400, "Cannot check out"),
    (StripeUnavailable, 502, "Payment unavailable"),
]


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def page(status: int, title: str, message: str, back: str | None = None) -> HTMLResponse:
    link = f'<p><a href="{_escape(back)}">Back to the shop</a></p>' if back else ""
    return HTMLResponse(
        PAGE.format(title=_escape(title), message=_escape(message), back=link), status_code=status
    )


def _return_path(request: Request, fields: dict[str, str]) -> str:
    """Where Stripe's cancel button brings the buyer, on the shop's own site: the form's `return`
    path, else the Referer's path (browsers send only the origin across sites under the published
    pages' Referrer-Policy), else the product page (`/products/<slug>/`, the storefront's layout)."""
    own = same_site_path(fields.get("return"))
    if own and len(own) <= 500:
        return own
    path = urlsplit(request.headers.get("referer") or "").path
    if (
        path.startswith("/")
        and path != "/"
        and len(path) <= 500
        and all(32 < ord(c) < 127 for c in path)
    ):
        return path
    slug = fields.get("product", "")
    return f"/products/{slug}/" if SLUG.fullmatch(slug) else "/"


async def checkout(request: Request) -> Response:
    collector = collector_of(request)
    try:
        raw = await read_body(request, MAX_FORM)
    except BodyTooLarge:
        return page(413, "Cannot check out", "The form is too large.")
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return page(415, "Cannot check out", "The buy button sends a plain form.")
    try:
        fields = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=10))
    except (UnicodeDecodeError, ValueError):
        return page(400, "Cannot check out", "The form could not be read.")
    try:
        site = await collector.site(str(fields.get("project", "")))
    except NotFound:
        return page(404, "Not found", "There is no such shop.")
    if not origin_allowed(site, request):
        return page(403, "Cannot check out", "This buy button is not on the shop's own site.")
    if await collector.over_limit(request, f"checkout:{site.id}", collector.settings.form_rate):
        return page(429, "Cannot check out", "Too many checkouts from here; try again in a minute.")
    back = (
        (request_origin(request) or "") + _return_path(request, fields)
        if request_origin(request)
        else None
    )

    def start() -> str:
        item = checkout_item(
            site.id, fields.get("product"), fields.get("variant"), fields.get("quantity")
        )
        return create_checkout_session(item, _return_path(request, fields))

    try:
        url = await collector.write(start)
    except BgpubError as exc:
        for kind, status, title in STATUS:
            if isinstance(exc, kind):
                return page(status, title, exc.message, back)
        return page(409, "Cannot check out", exc.message, back)
    return RedirectResponse(url, status_code=303)
