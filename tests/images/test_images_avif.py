"""An AVIF upload is cleaned like a JPEG: a phone's GPS position in its EXIF is never published.

AVIF from a phone carries the same EXIF block as a JPEG; publishing the upload as-is would put the
location of the photographer's home on the site. The renderer treats AVIF as a raster it decodes,
re-encodes without metadata and serves at the asset's own URL.
"""

from __future__ import annotations

import io

import pytest
from images_support import GPS_IFD, asset, library, phone_jpeg, site, themes
from PIL import Image

from bgpub.render.images import MemoryImages, avif_supported
from bgpub.render.incremental import Renderer
from bgpub.render.plan import BuildInfo

pytestmark = pytest.mark.skipif(not avif_supported(), reason="this Pillow has no AVIF codec")


def _phone_avif() -> bytes:
    """An AVIF with the camera's EXIF (make and GPS) carried over from a phone JPEG."""
    source = Image.open(io.BytesIO(phone_jpeg(640, 480)))
    out = io.BytesIO()
    source.save(out, "AVIF", exif=source.getexif(), quality=60)
    data = out.getvalue()
    assert b"PhoneMaker" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)
    return data


def test_an_avif_upload_is_published_without_its_gps_position() -> None:
    data = _phone_avif()
    pic = asset("walk.avif", data, "image/avif", 640, 480)
    renderer = Renderer(library(), themes(), {pic.hash: data}.__getitem__, images=MemoryImages())
    files = renderer.render(
        site((pic,), hero="walk.avif"), BuildInfo(base_url="https://x.example")
    ).files
    published = {path: body for path, body in files.items() if path.startswith("assets/walk")}
    assert (
        any(path.endswith(".avif") for path in published) and len(published) > 2
    )  # renditions too
    for path, body in published.items():
        assert b"PhoneMaker" not in body and b"GPS" not in body, path
        image = Image.open(io.BytesIO(body))
        assert not image.getexif(), path
    assert data not in files.values()  # the upload itself is never published
