"""Response headers the published site asks of its host, in the `_headers` format (Netlify, Cloudflare Pages).

Every response gets `X-Content-Type-Options: nosniff`; SVG files, which are documents that could run
script on the site's origin if one ever got through the upload's rebuild, also get a policy that
allows nothing but their own inline style and data: images. The preview sends the same headers.
"""

from __future__ import annotations

from bgpub.domain.site_headers import NOSNIFF, SVG_CSP

HEADERS_PATH = "_headers"


def headers_file() -> bytes:
    """The `_headers` file: `/*` matches every path, `/*.svg` every SVG at any depth."""
    return (
        "# Response headers for hosts that read this file (Netlify, Cloudflare Pages)\n"
        "/*\n"
        f"  X-Content-Type-Options: {NOSNIFF}\n"
        "\n"
        "/*.svg\n"
        f"  Content-Security-Policy: {SVG_CSP}\n"
    ).encode()
