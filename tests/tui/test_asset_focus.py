"""The asset screen shows each image's focal point and sets it with `f` (issue 16), on both databases."""

from __future__ import annotations

import io

from PIL import Image
from tui_support import SIZE, fill, notifications, run, until

from bgpub.db.models import Asset
from bgpub.services.assets import add_asset
from bgpub.services.projects import create_project
from bgpub.tui.screens.assets import AssetsScreen, parse_unit
from bgpub.tui.screens.modals import FormModal
from bgpub.tui.screens.project import ProjectScreen


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(out, format="PNG")
    return out.getvalue()


def test_parse_unit_accepts_fractions_and_percentages():
    assert [parse_unit(v) for v in ("0.25", "25%", " 1 ", "0", "100%")] == [
        0.25,
        0.25,
        1.0,
        0.0,
        1.0,
    ]
    assert [parse_unit(v) for v in ("1.5", "-0.1", "abc", "", "101%", "nan")] == [None] * 6


def test_focal_point_set_from_the_asset_screen(editor, actor):
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_asset(actor, ref, png(), name="team.png")
    add_asset(actor, ref, b"notes\n", name="notes.txt")
    app = editor(ref)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project screen")
            await pilot.press("a")
            await until(
                pilot,
                lambda: isinstance(app.screen, AssetsScreen) and len(app.screen.rows) == 2,
                "assets",
            )
            table = app.screen.query_one("DataTable")
            assert table.get_row("team.png")[4] == "middle"
            table.move_cursor(row=[a.name for a in app.screen.rows].index("notes.txt"))
            await pilot.press("f")
            await until(
                pilot, lambda: any("only images" in n for n in notifications(app)), "the refusal"
            )
            table.move_cursor(row=[a.name for a in app.screen.rows].index("team.png"))
            await pilot.press("f")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the focal point form")
            await fill(pilot, app, "#form-x", "2")
            assert "0 to 1" in str(app.screen.query_one("#form-x-error").content)
            await fill(pilot, app, "#form-x", "30%")
            await fill(pilot, app, "#form-y", "0.8")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, AssetsScreen)
                    and app.screen.rows
                    and next(a for a in app.screen.rows if a.name == "team.png").focus is not None
                ),
                "reload",
            )
            assert app.screen.query_one("DataTable").get_row("team.png")[4] == "30% 80%"

    run(scenario())
    row = Asset.get(Asset.name == "team.png")
    assert (row.focus_x, row.focus_y) == (0.3, 0.8)
