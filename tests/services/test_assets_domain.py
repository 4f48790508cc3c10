"""list_assets hands out domain values (db/mapping.py makes them), never Peewee rows."""

from services_support import png

from bgpub.domain.assets import AssetRow
from bgpub.services import assets


def test_list_assets_returns_domain_values(actor, project):
    added = assets.add_asset(actor, "demo", png(5, 7), name="logo.png", alt='Our "logo" <b>')
    assets.set_focus(actor, "demo", "logo.png", 0.25, 0.75)
    listed = assets.list_assets(actor, "demo")
    assert listed == [
        AssetRow(
            name="logo.png",
            type="IMAGE",
            mime="image/png",
            size=added.size,
            alt='Our "logo" <b>',
            focus=(0.25, 0.75),
            hash=added.hash,
            width=5,
            height=7,
        )
    ]
    assert type(listed[0]) is AssetRow and type(listed[0].type) is str
    assert assets.list_assets(actor, "demo")[0] == listed[0]  # a plain value: equal by content
