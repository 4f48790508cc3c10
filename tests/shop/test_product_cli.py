"""`bgpub product` and `bgpub variant` in-process (Click), on both databases: a product with two
variants from the command line, the description through $EDITOR, one-line errors that change nothing."""

from __future__ import annotations

import json

from bgpub.services import products


def test_product_and_variants_from_the_command_line(bgpub, actor, project):
    made = bgpub(
        "product",
        "new",
        "shop",
        "Morning mug",
        "--price",
        "28.00",
        "--currency",
        "GBP",
        "--status",
        "ACTIVE",
        "--tag",
        "Mugs",
        "--image",
        "mug.png",
        "--image",
        "mug-side.png",
        "--compare-at",
        "32",
        "--weight",
        "350",
    )
    assert made.code == 0, made.err
    assert made.out.strip() == "active product morning-mug at £28.00"
    assert (
        bgpub(
            "variant", "add", "shop", "morning-mug", "Size=Small", "--sku", "MUG-S", "--stock", "4"
        ).code
        == 0
    )
    large = bgpub(
        "variant",
        "add",
        "shop",
        "morning-mug",
        "Size=Large",
        "--sku",
        "MUG-L",
        "--price",
        "34.50",
        "--stock",
        "0",
        "--payment-link",
        "https://buy.stripe.com/test_9AQ",
    )
    assert large.code == 0, large.err
    listed = bgpub("variant", "list", "shop", "morning-mug")
    assert "Small" in listed.out and "£34.50" in listed.out and "sold out" in listed.out
    assert bgpub("variant", "set", "shop", "morning-mug", "MUG-L", "--stock", "untracked").code == 0
    shown = json.loads(bgpub("product", "show", "shop", "morning-mug", "--json").out)
    assert (
        shown["price_cents"] == 2800
        and shown["compare_at_cents"] == 3200
        and shown["weight_grams"] == 350
    )
    assert [(v["sku"], v["price_cents"], v["stock"]) for v in shown["variants"]] == [
        ("MUG-S", None, 4),
        ("MUG-L", 3450, None),
    ]
    text = bgpub("product", "show", "shop", "morning-mug").out
    assert "£28.00" in text and "variant 2:" in text and "buy.stripe.com" in text
    assert "morning-mug" in bgpub("product", "list", "shop", "--status", "active").out
    assert bgpub("variant", "rm", "shop", "morning-mug", "2", "--yes").code == 0
    assert bgpub("product", "rm", "shop", "morning-mug", "--yes").code == 0
    assert products.list_products(actor, "shop") == []


def test_product_edit_opens_the_description_in_the_editor(bgpub, actor, project, monkeypatch):
    bgpub("product", "new", "shop", "Bowl", "--price", "10")
    seen = []

    def editor(text, **kwargs):
        seen.append(text)
        return "# A bowl\n\nWide and *shallow*.\n"

    monkeypatch.setattr("click.edit", editor)
    out = bgpub("product", "edit", "shop", "bowl", "--edit")
    assert out.code == 0, out.err
    assert seen == [""]
    assert (
        products.get_product(actor, "shop", "bowl").description == "# A bowl\n\nWide and *shallow*."
    )
    monkeypatch.setattr("click.edit", lambda text, **kw: text)  # saved unchanged: nothing happens
    assert "unchanged" in bgpub("product", "edit", "shop", "bowl", "--edit").out
    assert bgpub("product", "edit", "shop", "bowl", "--price", "12.00", "--no-edit").code == 0
    assert products.get_product(actor, "shop", "bowl").price_cents == 1200


def test_bad_input_is_one_line_and_changes_nothing(bgpub, actor, project):
    cases = [
        (("product", "new", "shop", "Mug", "--price", "12,5"), "price"),
        (("product", "new", "shop", "Mug", "--price", "-1"), "price"),
        (("product", "new", "shop", "Mug", "--price", "1.999", "--currency", "EUR"), "decimals"),
        (("product", "new", "shop", "Mug", "--price", "1.5", "--currency", "JPY"), "decimals"),
        (("product", "new", "shop", "Mug", "--currency", "ZZZ"), "currency"),
        (
            ("product", "new", "shop", "Mug", "--payment-link", "https://evil.example/x"),
            "payment link",
        ),
        (("product", "new", "shop", "Mug", "--image", "nope.png"), "not an asset"),
        (("product", "new", "shop", "Mug", "--stock", "-2"), "stock"),
        (("product", "edit", "shop", "ghost", "--price", "1"), "no product"),
        (("variant", "add", "shop", "ghost", "Size=M"), "no product"),
    ]
    for args, words in cases:
        out = bgpub(*args)
        assert out.code != 0, args
        assert out.err.startswith("error: ") and words in out.err.lower(), (args, out.err)
        assert "Traceback" not in out.err and len(out.err.strip().splitlines()) == 1, out.err
    assert products.list_products(actor, "shop") == []
