"""The response headers a published site needs, as values both the build and the preview send.

Every response gets `X-Content-Type-Options: nosniff`; SVG files, which are documents that could run
script on the site's origin if one ever got through the upload's rebuild, also get a policy that
allows nothing but their own inline style and data: images. The renderer writes them into the
`_headers` file; the preview (a front end, which never imports the renderer) sends them itself.
"""

from __future__ import annotations

NOSNIFF = "nosniff"
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
