"""What a collector URL adds to published pages: the page-view beacon and the generated thank-you page.

The beacon is a `<noscript>` pixel (works without JavaScript: the page's path is known at build) and
a tiny inline script (under 1 KB, no third-party origin: it talks only to the project's own
collector) that sends the path, query (for UTM tags) and referrer with `navigator.sendBeacon`, and
tells the collector how long a form's page was open when it is sent (the minimum fill time).
Nothing is set in the browser: no cookie, no storage.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

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


def collector_of(settings: dict[str, Any]) -> dict[str, str] | None:
    """The build's collector settings ({url, project, stamp}) when the project has a collector URL."""
    found = settings.get("collector")
    return found if isinstance(found, dict) and found.get("url") and found.get("project") else None


def beacon_html(collector: dict[str, str], page_url: str) -> str:
    endpoint = f"{collector['url']}/v/{quote(collector['project'], safe='')}"
    pixel = f"{endpoint}?p={quote(page_url, safe='/')}"
    # json.dumps, then </ escaped: the endpoint cannot end the script element
    script = SCRIPT % json.dumps(endpoint).replace("</", "<\\/")
    return (f'<noscript><img src="{escape(pixel)}" alt="" width="1" height="1" '
            f'style="position:absolute;left:-9999px"></noscript>\n<script>{script}</script>\n')


def with_beacon(html: str, collector: dict[str, str] | None, page_url: str) -> str:
    """The page with the beacon just before `</body>` (unchanged without a collector)."""
    if collector is None:
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
