"""Products in the project snapshot: fields at their defaults stay out of the JSON (snapshots written
before them keep their bytes), export -> import keeps the whole catalogue, a bad product in an import
is refused naming its path, and `bgpub check` warns about products nobody can pay for."""

from __future__ import annotations

import json

import pytest

from bgpub.errors import InvalidInput
from bgpub.services import products, variants
from bgpub.services.importing import import_project
from bgpub.services.site_checks import run_checks
from bgpub.services.snapshots import export_project, project_snapshot
from bgpub.snapshot import ProductSnapshot, ProjectSnapshot, VariantSnapshot

LEGACY = {
    "slug": "mug",
    "name": "Mug",
    "price_cents": 1200,
    "currency": "EUR",
    "description": "",
    "image": None,
}


def test_defaults_stay_out_of_the_json_and_everything_else_round_trips():
    plain = ProjectSnapshot(name="p", products=(ProductSnapshot(**LEGACY),))
    assert list(plain.to_dict()["products"]) == [
        LEGACY
    ]  # the bytes of snapshots written before the shop
    full = ProductSnapshot(
        **{**LEGACY, "image": "a.png"}, gallery=("b.png",), status="DRAFT", compare_at_cents=1500, sku="M-1",
        stock=0, weight_grams=350, tags=("Mugs",), payment_link="https://buy.stripe.com/x",
        variants=(VariantSnapshot(name="S", options={"Size": "S"}, sku="M-S", price_cents=1100, stock=3),
                  VariantSnapshot(name="L", options={"Size": "L"})),
    )  # fmt: skip
    snapshot = ProjectSnapshot(name="p", products=(full,))
    data = json.loads(snapshot.to_json())
    assert data["products"][0]["variants"][1] == {"name": "L", "options": {"Size": "L"}}
    assert ProjectSnapshot.from_json(snapshot.to_json()) == snapshot
    with pytest.raises(InvalidInput, match="unknown key 'colour'"):
        ProjectSnapshot.from_json(json.dumps({**data, "products": [{**LEGACY, "colour": "red"}]}))


def test_export_then_import_keeps_the_catalogue(actor, project, tmp_path):
    products.create_product(actor, "shop", "Mug", price_cents=2800, currency="GBP", status="ACTIVE",
                            images=["mug.png", "mug-side.png"], tags=["Mugs"], stock=4, sku="MUG",
                            compare_at_cents=3200, weight_grams=350, description="A *mug*.")  # fmt: skip
    products.create_product(actor, "shop", "Draft", price_cents=100, status="DRAFT")
    variants.add_variant(actor, "shop", "mug", ["Size=S"], sku="MUG-S", stock=0,
                         payment_link="https://buy.stripe.com/s")  # fmt: skip
    variants.add_variant(actor, "shop", "mug", ["Size=L"], price_cents=3400, image="mug-side.png")
    export_project(actor, "shop", tmp_path / "out")
    import_project(actor, tmp_path / "out", "copy")
    before, after = project_snapshot(actor, "shop"), project_snapshot(actor, "copy")
    assert after.products == before.products and len(after.products) == 2
    assert [v.sku for v in products.get_product(actor, "copy", "mug").variants] == ["MUG-S", None]


def test_a_bad_product_in_an_import_names_its_path(actor, project, tmp_path):
    products.create_product(actor, "shop", "Mug", price_cents=100, status="ACTIVE")
    export_project(actor, "shop", tmp_path / "out")
    raw = json.loads((tmp_path / "out" / "project.json").read_text())
    raw["products"][0]["payment_link"] = "javascript:alert(1)"
    (tmp_path / "out" / "project.json").write_text(json.dumps(raw))
    with pytest.raises(InvalidInput) as caught:
        import_project(actor, tmp_path / "out", "copy")
    assert "payment link" in caught.value.message and "products[0]" in (caught.value.where or "")


def test_check_warns_about_products_nobody_can_pay_for(actor, project):
    def shop_findings():
        return [f for f in run_checks(actor, "shop") if f.check == "shop-checkout"]

    assert shop_findings() == []  # no products on sale: nothing to say
    products.create_product(actor, "shop", "Mug", price_cents=100, status="ACTIVE")
    (finding,) = shop_findings()
    assert finding.severity == "warning" and "mug" in finding.message
    products.update_product(actor, "shop", "mug", payment_link="https://buy.stripe.com/abc")
    assert shop_findings() == []
