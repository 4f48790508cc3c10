"""The site's own files and folders at its top level: where a link may lead besides a page.

The link check (`services/site_checks.py`) reads pages and props, never a render, so it asks this
module whether a link's first path segment is something the renderer writes itself. The names come
from the modules that write them, so a new one is one import away; tests build every starter (with
sitemap parts) and link to each output's top-level name to keep the two in step.
"""

from __future__ import annotations

import re

from bgpub.render.beacon import THANKS_PATH
from bgpub.render.breadcrumbs import BLOG_INDEX
from bgpub.render.headers import HEADERS_PATH
from bgpub.render.icons import PNGS
from bgpub.render.shop import COLLECTIONS_DIR, PRODUCTS_DIR

TOP_LEVEL = frozenset(
    {
        "assets",  # the theme's stylesheet, fonts, images and their renditions, share cards
        BLOG_INDEX.split("/", 1)[0],  # posts, tags, feeds
        PRODUCTS_DIR,
        COLLECTIONS_DIR,
        THANKS_PATH.split("/", 1)[0],  # a form's thank-you page
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "site.webmanifest",
        "favicon.ico",
        *PNGS,
        HEADERS_PATH,
        "_redirects",  # a host file a publish adds beside _headers (services/target_builds.py)
    }
)
SITEMAP_PART = re.compile(r"sitemap-[1-9][0-9]*\.xml")  # a site over 50,000 URLs (render/plan.py)


def is_site_file(first_segment: str) -> bool:
    """Whether a URL path starting with `first_segment` leads to a file or folder the renderer
    writes itself (not a page of the project)."""
    return first_segment in TOP_LEVEL or SITEMAP_PART.fullmatch(first_segment) is not None
