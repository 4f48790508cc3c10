"""Assets: type detection from content, sizes, unique names, blob storage, removal refused while used."""

import pytest
from services_support import counts, png

from bgpub.db.enums import AssetType
from bgpub.db.models import Asset, Blob
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.services import assets, blobs, blocks, pages, projects


def test_add_png_from_file(actor, project, tmp_path):
    path = tmp_path / "My Logo.PNG"
    path.write_bytes(png(5, 7))
    asset = assets.add_asset(actor, "demo", path, alt="Our logo")
    assert (asset.name, asset.mime, asset.type, asset.width, asset.height) == (
        "my-logo.png",
        "image/png",
        AssetType.IMAGE,
        5,
        7,
    )
    assert asset.size == len(path.read_bytes())
    assert blobs.get(asset.hash) == path.read_bytes()
    assert assets.asset_bytes(actor, "demo", "my-logo.png") == path.read_bytes()


def test_names_are_made_unique_and_bytes_deduplicated(actor, project):
    first = assets.add_asset(actor, "demo", png(), name=None)
    second = assets.add_asset(actor, "demo", png())
    assert (first.name, second.name) == ("file.png", "file-2.png")
    assert Blob.select().count() == 1
    with pytest.raises(Conflict, match="already exists"):
        assets.add_asset(actor, "demo", png(), name="file.png")
    assert [a.name for a in assets.list_assets(actor, "demo")] == ["file-2.png", "file.png"]


@pytest.mark.parametrize(
    ("name", "data", "text"),
    [
        ("x.png", b"not an image at all", "unsupported file type"),
        ("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "cannot be decoded"),
        ("x.jpg", png(), "the content is image/png but the name says image/jpeg"),
        (
            "x.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
            "SVG with scripts",
        ),
        ("x.png", b"", "the file is empty"),
    ],
)
def test_bad_files_are_refused(actor, project, tmp_path, name, data, text):
    path = tmp_path / name
    path.write_bytes(data)
    before = counts()
    with pytest.raises(InvalidInput, match=text):
        assets.add_asset(actor, "demo", path)
    assert counts() == before


def test_other_types(actor, project, tmp_path):
    svg = assets.add_asset(
        actor,
        "demo",
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 16"><rect/></svg>',
        name="icon.svg",
    )
    assert (svg.width, svg.height) == (24, 16)
    pdf = assets.add_asset(actor, "demo", b"%PDF-1.4\n...", name="menu.pdf")
    assert (svg.mime, svg.type, pdf.mime, pdf.type) == (
        "image/svg+xml",
        AssetType.IMAGE,
        "application/pdf",
        AssetType.DOCUMENT,
    )
    with pytest.raises(NotFound):
        assets.add_asset(actor, "demo", tmp_path / "missing.png")


def test_remove_refused_while_used(actor, project):
    assets.add_asset(actor, "demo", png(), name="logo.png")
    pages.add_page(actor, "demo", "home", "Home")
    pages.add_page(actor, "demo", "about", "About")
    blocks.add_block(
        actor, "demo", "about", "features", {"items": [{"name": "a", "icon": "logo.png"}]}
    )
    blocks.add_block(actor, "demo", "home", "hero", {"heading": "logo.png"})  # text, not a use
    projects.update_project(actor, "demo", settings={"seo_image": "logo.png"})
    before = counts()
    with pytest.raises(Conflict, match=r"still used by settings \(seo_image\), page about"):
        assets.remove_asset(actor, "demo", "logo.png")
    assert counts() == before
    projects.update_project(actor, "demo", settings={"seo_image": None})
    blocks.remove_block(actor, "demo", "about", 0)
    assets.remove_asset(actor, "demo", "logo.png")
    assert Asset.select().count() == 0
    assert Blob.select().count() == 1  # versions may still need the bytes


def test_set_alt(actor, project):
    assets.add_asset(actor, "demo", png(), name="logo.png")
    assert assets.set_alt(actor, "demo", "logo.png", "The logo").alt == "The logo"
    assert assets.get_asset(actor, "demo", "logo.png").alt == "The logo"
