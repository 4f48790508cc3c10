"""Starting a preview server for a test: as `bgpub preview` starts one, but quick to stop."""

from __future__ import annotations

from collections.abc import Callable

from bgpub.preview.server import SiteServer
from bgpub.preview.site import PreviewSite

# How often a test server's thread looks for `stop()`: the default 0.2 s was most of a short test.
QUICK_STOP = 0.01


def start_preview(source: Callable[[], dict[str, bytes]]) -> SiteServer:
    """A started preview of `source` (first render done), stopping within `QUICK_STOP`."""
    site = PreviewSite(source)
    site.start()
    return SiteServer(site, poll_interval=QUICK_STOP).start()
