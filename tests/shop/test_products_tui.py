"""The editor's Products screen and product editor (Pilot; SQLite, as a front end's test): reached with `i` from the
project screen; search and status/stock filters, low stock highlighted; a new product saved from the
form, its images reordered, a variant added and a cell of the variants table edited inline."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from tests.tui.tui_support import own_heap, until, wait_on_events

from bgpub.services import products, variants
from bgpub.tui.app import make_app
from bgpub.tui.screens.product_editor import ProductEditorScreen
from bgpub.tui.screens.products import ProductsScreen

# A front end's test: SQLite only, like tests/tui (tests/conftest.py, `_editor_on_sqlite`).
pytestmark = pytest.mark.editor


@pytest.fixture(autouse=True)
def _pilot_on_events(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As in tests/tui: Pilot waits for what the app does, the collector skips the shared heap."""
    wait_on_events(monkeypatch)
    with own_heap():
        yield


@pytest.mark.slow
def test_products_screen_and_editor(workspace, actor, project):
    products.create_product(
        actor, "shop", "Mug", price_cents=2800, currency="GBP", status="ACTIVE", stock=2
    )
    products.create_product(
        actor, "shop", "Bowl", price_cents=3600, currency="GBP", status="ACTIVE", stock=50
    )
    products.create_product(
        actor, "shop", "[b]Vase[/b]", slug="vase", price_cents=4200, currency="GBP"
    )
    asyncio.run(flow(make_app(workspace, "shop", format_time=lambda moment: ""), actor))


async def flow(app, actor) -> None:
    from textual.widgets import Input, Select

    async with app.run_test(size=(140, 45)) as pilot:
        await until(pilot, lambda: app.screen.__class__.__name__ == "ProjectScreen", "project")
        project_screen = app.screen
        await pilot.press("i")
        await until(
            pilot, lambda: isinstance(app.screen, ProductsScreen) and app.screen.shown, "products"
        )
        screen = app.screen
        table = screen.table
        assert [table.get_row_at(i)[0].plain for i in range(3)] == ["[b]Vase[/b]", "Bowl", "Mug"]
        mug_stock = table.get_row_at(2)[3]
        assert mug_stock.plain == "2 low" and "yellow" in str(
            mug_stock.style
        )  # low stock stands out
        screen.query_one("#product-search", Input).value = "bow"
        await until(pilot, lambda: [p.slug for p in screen.shown] == ["bowl"], "search")
        screen.query_one("#product-search", Input).value = ""
        screen.query_one("#product-status", Select).value = "DRAFT"
        await until(pilot, lambda: [p.slug for p in screen.shown] == ["vase"], "status filter")
        screen.query_one("#product-status", Select).value = ""
        screen.query_one("#product-stock", Select).value = "low"
        await until(pilot, lambda: [p.slug for p in screen.shown] == ["mug"], "low stock filter")
        screen.query_one("#product-stock", Select).value = ""

        table.focus()
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ProductEditorScreen), "the editor")
        editor = app.screen
        editor.query_one("#product-title", Input).value = "Plate"
        editor.query_one("#product-price", Input).value = "12.5x"
        editor.query_one("#product-currency", Input).value = "GBP"
        await pilot.press("ctrl+s")  # a bad price: a notification, nothing saved
        await until(
            pilot,
            lambda: any("is not an amount" in n.message for n in app._notifications),
            "the refusal",
        )
        assert [p.slug for p in products.list_products(actor, "shop", search="plate")] == []
        editor.query_one("#product-price", Input).value = "12.50"
        editor._image_added({"name": "mug.png"})
        editor._image_added({"name": "mug-side.png"})
        images = editor.query_one("#product-images")
        images.focus()
        images.move_cursor(row=0)
        await pilot.press("ctrl+down")  # mug.png after mug-side.png
        await pilot.press("ctrl+s")
        await until(
            pilot, lambda: products.get_product(actor, "shop", "plate").price_cents == 1250, "saved"
        )
        assert products.get_product(actor, "shop", "plate").images == ("mug-side.png", "mug.png")

        variants_table = editor.query_one("#product-variants")
        variants_table.focus()
        await pilot.press("v")
        await until(pilot, lambda: app.screen.__class__.__name__ == "FormModal", "variant form")
        app.screen.query_one(Input).value = "Size=Large"
        await pilot.press("enter")
        await until(
            pilot, lambda: len(variants.list_variants(actor, "shop", "plate")) == 1, "variant added"
        )
        await until(
            pilot,
            lambda: isinstance(app.screen, ProductEditorScreen) and variants_table.row_count,
            "row",
        )
        variants_table.focus()
        variants_table.move_cursor(row=0, column=3)  # stock
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.__class__.__name__ == "FormModal", "cell editor")
        assert app.screen.query_one(Input).value == "untracked"
        app.screen.query_one(Input).value = "7"
        await pilot.press("enter")
        await until(
            pilot,
            lambda: variants.list_variants(actor, "shop", "plate")[0].stock == 7,
            "stock saved",
        )
        await until(pilot, lambda: variants_table.get_row_at(0)[3].plain == "7", "the table agrees")

        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ProductsScreen), "back to products")
        await until(
            pilot, lambda: "plate" in [p.slug for p in app.screen.shown], "the list reloaded"
        )
        listed = app.screen
        listed.table.focus()
        listed.table.move_cursor(row=[p.slug for p in listed.shown].index("vase"))
        await pilot.press("d")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmModal", "asks first")
        await pilot.press("y")
        await until(pilot, lambda: "vase" not in [p.slug for p in listed.shown], "deleted")
        assert "vase" not in [p.slug for p in products.list_products(actor, "shop")]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is project_screen, "back to the project")
        from bgpub.tui.commands import entries

        assert "Products" in [e.title for e in entries(project_screen)]
