"""What a collector URL adds to published pages: the page-view beacon, the generated thank-you page,
and the comment form for blog post pages (`with_comment_form`, for the post renderer to call).

The beacon is a `<noscript>` pixel (works without JavaScript: the page's path is known at build) and
a tiny inline script (under 1 KB, no third-party origin: it talks only to the project's own
collector) that sends the path, query (for UTM tags) and referrer with `navigator.sendBeacon`, and
tells the collector how long a form's page was open when it is sent (the minimum fill time).
Nothing is set in the browser: no cookie, no storage.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, TypeGuard
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

THANKS_PATH = "thanks/index.html"
THANKS_URL = "/thanks/"

SCRIPT = (
    "(function(){var c=%s,t=Date.now(),d=document,l=location,n=navigator,"
    "b=JSON.stringify({p:l.pathname+l.search,r:d.referrer});"
    "if(n.sendBeacon)n.sendBeacon(c,b);else fetch(c,{method:'POST',body:b,keepalive:true,mode:'no-cors'});"
    "d.addEventListener('submit',function(e){var f=e.target,i;"
    "if(!f.hasAttribute||!f.hasAttribute('data-bgpub-form'))return;"
    "i=f.querySelector('[name=_bgpub_elapsed]');"
    "if(!i){i=d.createElement('input');i.type='hidden';i.name='_bgpub_elapsed';f.appendChild(i)}"
    "i.value=Date.now()-t},true)})();"
)


GA4_INLINE = (
    "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
    "gtag('js',new Date());gtag('config','%s')"
)
# Google's documented CSP for GA4 (developers.google.com/tag-platform/security/guides/csp)
GA4_SOURCES = {
    "script-src": ("https://*.googletagmanager.com",),
    "connect-src": (
        "https://*.google-analytics.com",
        "https://*.analytics.google.com",
        "https://*.googletagmanager.com",
    ),
    "img-src": ("https://*.google-analytics.com", "https://*.googletagmanager.com"),
}
GOATCOUNTER_SCRIPT = "https://gc.zgo.at"


def collector_of(settings: dict[str, Any]) -> dict[str, Any] | None:
    """The build's collector settings ({url, project, stamp} with a collector URL; `analytics` with
    enabled analytics integrations), or None."""
    found = settings.get("collector")
    if not isinstance(found, dict):
        return None
    return found if (found.get("url") and found.get("project")) or found.get("analytics") else None


def has_collector(collector: dict[str, Any] | None) -> TypeGuard[dict[str, Any]]:
    """A collector URL is set (forms, comments and the beacon go to it)."""
    return bool(collector and collector.get("url") and collector.get("project"))


def beacon_endpoint(collector: dict[str, str]) -> str:
    return f"{collector['url']}/v/{quote(collector['project'], safe='')}"


def beacon_script(collector: dict[str, str]) -> str:
    """The inline script exactly as pages carry it (its hash goes into the host's CSP)."""
    # json.dumps, then </ escaped: the endpoint cannot end the script element
    return SCRIPT % json.dumps(beacon_endpoint(collector)).replace("</", "<\\/")


def beacon_html(collector: dict[str, str], page_url: str) -> str:
    endpoint = beacon_endpoint(collector)
    pixel = f"{endpoint}?p={quote(page_url, safe='/')}"
    script = beacon_script(collector)
    return (
        f'<noscript><img src="{escape(pixel)}" alt="" width="1" height="1" '
        f'style="position:absolute;left:-9999px"></noscript>\n<script>{script}</script>\n'
    )


def with_beacon(html: str, collector: dict[str, Any] | None, page_url: str) -> str:
    """The page with third-party analytics snippets in `<head>` and the beacon just before `</body>`
    (unchanged without either)."""
    if collector is None:
        return html
    if collector.get("analytics"):
        html = with_analytics(html, collector["analytics"])
    if not has_collector(collector):
        return html
    at = html.rfind("</body>")
    if at < 0:
        return html + beacon_html(collector, page_url)
    return html[:at] + beacon_html(collector, page_url) + html[at:]


def thanks_main(title: str) -> Markup:
    """The generated thank-you page's main region (a project page with slug `thanks` replaces it)."""
    return Markup(
        '<section class="c-page-header" aria-labelledby="thanks-title">\n'
        '<div class="c-page-header__inner">\n'
        '<h1 id="thanks-title">Thank you</h1>\n'
        "<p>Your message was sent. We will get back to you soon.</p>\n"
        f'<p><a class="button button--primary" href="{escape(title)}">Back to the home page</a></p>\n'
        "</div>\n</section>"
    )


def comment_form_html(
    collector: dict[str, str], post_slug: str, post_url: str, thanks_url: str
) -> str:
    """A comment form posting to `bgpub collect` (the comment waits for moderation there); it uses the
    contact form component's classes, so every theme styles it."""
    action = (
        f"{collector['url']}/c/{quote(collector['project'], safe='')}/{quote(post_slug, safe='')}"
    )
    return (
        '<section class="c-contact-form post-comment-form" id="comment" aria-labelledby="comment-title">\n'
        '<div class="c-contact-form__inner">\n<div class="c-contact-form__copy">\n'
        '<h2 class="section-title" id="comment-title">Leave a comment</h2>\n'
        '<p class="section-intro">Comments appear once approved. Your e-mail address is never shown.</p>\n'
        f'</div>\n<form class="c-contact-form__form" action="{escape(action)}" method="post" data-bgpub-form>\n'
        f'<input type="hidden" name="_bgpub_stamp" value="{escape(collector.get("stamp", ""))}">\n'
        f'<input type="hidden" name="_bgpub_page" value="{escape(post_url)}">\n'
        f'<input type="hidden" name="_bgpub_thanks" value="{escape(thanks_url)}">\n'
        '<div class="visually-hidden" aria-hidden="true"><label>Leave this empty <input type="text" '
        'name="_bgpub_hp" value="" tabindex="-1" autocomplete="off"></label></div>\n'
        '<div class="c-contact-form__field"><label class="c-contact-form__label" for="comment-name">Name</label>\n'
        '<input class="c-contact-form__input" id="comment-name" name="name" type="text" autocomplete="name" '
        'maxlength="100" required></div>\n'
        '<div class="c-contact-form__field"><label class="c-contact-form__label" for="comment-email">'
        "E-mail (optional, not shown)</label>\n"
        '<input class="c-contact-form__input" id="comment-email" name="email" type="email" autocomplete="email">'
        "</div>\n"
        '<div class="c-contact-form__field"><label class="c-contact-form__label" for="comment-body">Comment</label>\n'
        '<textarea class="c-contact-form__input" id="comment-body" name="body" rows="5" maxlength="5000" required>'
        "</textarea></div>\n"
        '<button class="button button--primary" type="submit">Send comment</button>\n'
        "</form>\n</div>\n</section>\n"
    )


def with_comment_form(
    html: str, collector: dict[str, str] | None, post_slug: str, post_url: str, thanks_url: str
) -> str:
    """The post page with its comment form at the end of `<main>` (unchanged without a collector)."""
    if not has_collector(collector):
        return html
    at = html.rfind("</main>")
    if at < 0:
        return html
    return html[:at] + comment_form_html(collector, post_slug, post_url, thanks_url) + html[at:]


def analytics_html(items: list[dict[str, str]]) -> str:
    """The snippets of enabled analytics integrations (values were checked by the service; escaped here)."""
    parts = []
    for item in items:
        kind = item.get("kind")
        if kind == "plausible":
            parts.append(
                f'<script defer data-domain="{escape(item["domain"])}" src="{escape(item["src"])}"></script>'
            )
        elif kind == "ga4":
            ident = escape(item["id"])
            parts.append(
                f'<script async src="https://www.googletagmanager.com/gtag/js?id={ident}"></script>\n'
                f"<script>{GA4_INLINE % ident}</script>"
            )
        elif kind == "umami":
            parts.append(
                f'<script defer src="{escape(item["src"])}" data-website-id="{escape(item["id"])}"></script>'
            )
        elif kind == "goatcounter":
            parts.append(
                f'<script data-goatcounter="{escape(item["endpoint"])}" async '
                'src="https://gc.zgo.at/count.js"></script>'
            )
    return "".join(p + "\n" for p in parts)


def with_analytics(html: str, items: list[dict[str, str]]) -> str:
    at = html.find("</head>")
    snippet = analytics_html(items)
    return html if at < 0 or not snippet else html[:at] + snippet + html[at:]


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def script_hash(text: str) -> str:
    """A CSP source allowing exactly this inline script."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def policy_sources(collector: dict[str, Any] | None) -> dict[str, list[str]]:
    """What a page Content-Security-Policy must add for what these pages carry: the beacon's inline
    script (by hash) and the collector's origin; each enabled analytics tool's script and reporting
    origins (and GA4's inline configuration, by hash). Empty without a collector or analytics."""
    found: dict[str, set[str]] = {"script-src": set(), "connect-src": set(), "img-src": set()}
    if collector is None:
        return {}
    if has_collector(collector):
        origin = _origin(collector["url"])
        found["script-src"].add(script_hash(beacon_script(collector)))
        if origin:
            found["connect-src"].add(origin)
            found["img-src"].add(origin)  # the <noscript> pixel
    for item in collector.get("analytics") or ():
        kind = item.get("kind")
        if kind in ("plausible", "umami"):  # the script reports to its own origin
            origin = _origin(item["src"])
            if origin:
                found["script-src"].add(origin)
                found["connect-src"].add(origin)
        elif kind == "ga4":
            found["script-src"].add(script_hash(GA4_INLINE % escape(item["id"])))
            for directive, sources in GA4_SOURCES.items():
                found[directive].update(sources)
        elif kind == "goatcounter":
            found["script-src"].add(GOATCOUNTER_SCRIPT)
            origin = _origin(item["endpoint"])
            if origin:
                found["connect-src"].add(origin)
                found["img-src"].add(origin)
    return {directive: sorted(sources) for directive, sources in found.items() if sources}
